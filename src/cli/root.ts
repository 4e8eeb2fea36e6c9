import { Command } from 'commander';

/** The `gatehouse` command with its global options, before any subcommand is added. */
export function rootCommand(): Command {
  return new Command()
    .name('gatehouse')
    .description('Gatehouse: the API gateway that is also an AI gateway')
    .option('--data-dir <dir>', 'data directory for the embedded store and key (GATEHOUSE_DATA_DIR, default ./.gatehouse)');
}
