import type Docker from 'dockerode';
import type { SessionSpec } from './types.ts';

/** What the agent needs to know of the image: who its Dockerfile says runs (USER) and its environment. */
export interface ImageRunAs {
  /** Docker's Config.User: '', a name, a uid, name:group or uid:gid; resolved by the agent inside the image. */
  user: string;
  /** The image's ENV. */
  env: string[];
  /** The image's VOLUMEs: in Docker each is an anonymous volume, outside the container layer Docker measures. */
  volumes: string[];
}

export async function imageRunAs(docker: Docker, image: string): Promise<ImageRunAs> {
  const config = (await docker.getImage(image).inspect()).Config;
  return { user: config?.User ?? '', env: (config?.Env ?? []) as string[], volumes: Object.keys(config?.Volumes ?? {}) };
}

/**
 * The agent's options (runner/agent/agent.c): the image's user, whether HOME
 * is that user's (as Docker sets it when nothing else does), and the
 * persistence dirs to hand to that user. Sandboxes start the agent as root
 * whatever the image says, so that it can give the code copy to that user.
 */
export function agentArgs(runAs: ImageRunAs, spec: Pick<SessionSpec, 'env' | 'persistence'>): string[] {
  if (!runAs.user) return [];
  const hasHome = [...runAs.env, ...spec.env].some((e) => e.startsWith('HOME='));
  return ['-u', runAs.user, ...(hasHome ? [] : ['-H']), ...spec.persistence.flatMap((p) => ['-o', p.path])];
}
