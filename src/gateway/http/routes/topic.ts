import { MAX_TOPIC_LENGTH } from '../../config/topic.ts'

/** The `:topic` path parameter: a Phoenix topic, URL-encoded by the caller (checked further by config/topic.ts before a dynamic join). */
export interface TopicParams { topic: string }

export const topicParams = {
  type: 'object',
  required: ['topic'],
  additionalProperties: false,
  properties: { topic: { type: 'string', minLength: 1, maxLength: MAX_TOPIC_LENGTH, description: 'The Phoenix topic, URL-encoded (room:lobby or room%3Alobby)' } },
} as const
