/**
 * Kubernetes schema validation with kubernetes-models, and the few object
 * shapes the assertions read. kubernetes-models is loaded by apiVersion at
 * run time (`kubernetes-models/<group>/<version>`, core is `kubernetes-models/v1`):
 * its type declarations do not pass this project's strict type check
 * (exactOptionalPropertyTypes without skipLibCheck), so they are not imported,
 * and the shapes below are written out instead. Like the API server's schema,
 * it checks types and required fields; it does not catch unknown fields.
 */
import type { K8sObject } from './helpers.ts'

interface Model { validate: () => void }
type ModelClass = new (data: unknown) => Model

/** Kinds kubernetes-models has no class for (CRDs): validate only their shape, and say so. */
export const SHAPE_ONLY: ReadonlySet<string> = new Set(['monitoring.coreos.com/v1/ServiceMonitor'])

async function modelClass (apiVersion: string, kind: string): Promise<ModelClass> {
  const specifier = `kubernetes-models/${apiVersion}`
  let module: Record<string, unknown>
  try {
    module = await import(specifier) as Record<string, unknown>
  } catch (err) {
    throw new Error(`kubernetes-models has no ${specifier} for ${apiVersion}/${kind}: ${(err as Error).message}`)
  }
  const model = module[kind]
  if (typeof model !== 'function') throw new Error(`kubernetes-models/${apiVersion} has no ${kind}`)
  return model as ModelClass
}

/** Throws with kubernetes-models' message (`data/spec/replicas must be integer, …`) when the object is invalid. */
export async function validateModel (object: K8sObject): Promise<void> {
  const Model = await modelClass(object.apiVersion, object.kind)
  new Model(object).validate()
}

export interface EnvVar { name: string, value?: string, valueFrom?: unknown }
export interface HttpProbe { httpGet?: { path: string, port: string | number, httpHeaders?: unknown } }
export interface Container {
  name: string
  restartPolicy?: string
  env?: EnvVar[]
  ports?: Array<{ name?: string, containerPort: number }>
  startupProbe?: HttpProbe
  livenessProbe?: HttpProbe
  readinessProbe?: HttpProbe
  securityContext?: {
    runAsNonRoot?: boolean
    runAsUser?: number
    readOnlyRootFilesystem?: boolean
    allowPrivilegeEscalation?: boolean
    capabilities?: { drop?: string[] }
  }
  volumeMounts?: Array<{ name: string, mountPath: string, readOnly?: boolean }>
}
export interface KeyToPath { key: string, path: string }
export interface Volume {
  name: string
  configMap?: { name: string, items?: KeyToPath[] }
  secret?: { secretName: string, items?: KeyToPath[] }
  emptyDir?: Record<string, unknown>
  persistentVolumeClaim?: { claimName: string, readOnly?: boolean }
}
export interface PodSpec {
  containers: Container[]
  initContainers?: Container[]
  volumes?: Volume[]
  terminationGracePeriodSeconds?: number
  enableServiceLinks?: boolean
  automountServiceAccountToken?: boolean
  securityContext?: { runAsNonRoot?: boolean }
}
export interface Deployment extends K8sObject {
  spec: {
    selector: { matchLabels: Record<string, string> }
    template: { metadata: { labels: Record<string, string>, annotations?: Record<string, string> }, spec: PodSpec }
  }
}
export interface Service extends K8sObject {
  spec: { selector: Record<string, string>, ports: Array<{ name: string, port: number, targetPort: string | number, protocol: string }> }
}
export interface PodDisruptionBudget extends K8sObject {
  spec: { minAvailable?: number | string, maxUnavailable?: number | string, selector: { matchLabels: Record<string, string> } }
}
