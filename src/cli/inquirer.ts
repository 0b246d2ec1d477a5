/** The prompts the terminal door draws (a module of its own so the bundle evaluates it only on the first question). */
export { checkbox, confirm, input, select } from '@inquirer/prompts';
