import type { CommandModule } from 'yargs';
import completion from './completion.js';
import graph from './graph.js';
import init from './init.js';
import lab from './lab.js';
import lock from './lock.js';
import migrate from './migrate.js';
import plan from './plan.js';
import provision from './provision.js';
import render from './render.js';
import rollback from './rollback.js';
import status from './status.js';
import upgrade from './upgrade.js';
import validate from './validate.js';
import version from './version.js';

/**
 * Every verb, one command module each (name, description, options; the handler loads its own module when the verb
 * runs). A static list rather than a directory scan, so that a bundle holds them all.
 */
export const COMMANDS = [completion, graph, init, lab, lock, migrate, plan, provision, render, rollback, status, upgrade, validate, version] as CommandModule[];
