/** The `:topic` path parameter: a Phoenix topic, URL-encoded by the caller. */
export interface TopicParams { topic: string }

export const topicParams = {
  type: 'object',
  required: ['topic'],
  additionalProperties: false,
  properties: { topic: { type: 'string', minLength: 1, maxLength: 1024, description: 'The Phoenix topic, URL-encoded (room:lobby or room%3Alobby)' } },
} as const
