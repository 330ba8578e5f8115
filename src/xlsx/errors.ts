/** Thrown for input the engine cannot use at all; its message is Chinese and meant for the user. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
