/** The console's entry: what `ppm serve` starts. */
export { startConsole, BOARD_QUEUES, type ConsoleListenOptions, type RunningConsole } from './start-console';
export { hashPassword } from './passwords';
