/** Sets the process exit code a command finished with. */
export type SetExit = (code: number) => void;
