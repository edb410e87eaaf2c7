/**
 * Work found for a project the configuration does not have (any more, if the project file lost it while
 * texts, writes or timers of that project were waiting): with no settings, sender, REDCap URL or token,
 * it can never be done, so the workers fail it for staff instead of retrying it.
 */
export class ProjectNotConfigured extends Error {
  constructor(project: string) {
    super(`project ${project} is not configured`);
    this.name = 'ProjectNotConfigured';
  }
}
