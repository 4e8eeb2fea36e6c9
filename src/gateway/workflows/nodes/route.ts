import type { z } from 'zod';
import { GatehouseError, type RouteNode } from '../../../core/index.js';
import { type CelProgram, celFailure, compileCondition, isBudgetSpent } from '../cel.js';
import type { NodeCompiler } from '../step.js';
import type { RouteChoice } from '../exchange.js';

interface Group {
  name: string;
  when: CelProgram | null;
  weight: number;
  /** What a call routed here carries on (built once: every call to the group shares it). */
  route: RouteChoice;
}

/** Picks an upstream target group by condition (in order), else by weight; none chosen leaves the proxy's own upstreams. */
export const compileRoute: NodeCompiler<z.output<typeof RouteNode>> = (node, env) => {
  const groups: Group[] = node.groups.map((g, i) => {
    let when: CelProgram | null = null;
    if (g.when !== undefined) {
      const compiled = compileCondition(g.when, 'request');
      if ('problem' in compiled) env.problem(`groups.${i}.when`, compiled.problem);
      else when = compiled.program;
    }
    const lookup = env.services.backendCredential;
    // A named credential missing from the snapshot fails the group's calls with 503 rather than the whole workflow.
    const auth = g.backendCredential === undefined || lookup === null ? undefined : (lookup(g.backendCredential) ?? 'unavailable');
    const plan = env.services.tlsFor(auth === 'unavailable' ? null : auth);
    const set = env.services.upstreams?.setForUrls(g.upstreams, env.services.connectMs, plan) ?? null;
    const route: RouteChoice = { name: g.name, node: node.id, set, ...(auth === undefined ? {} : { auth }) };
    return { name: g.name, when, weight: g.weight, route };
  });
  const names = new Set<string>();
  for (const [i, g] of node.groups.entries()) {
    if (names.has(g.name)) env.problem(`groups.${i}.name`, `the group name ${g.name} is used twice`);
    names.add(g.name);
  }
  const conditional = groups.filter((g) => g.when !== null);
  const weighted = groups.filter((g) => node.groups[groups.indexOf(g)]!.when === undefined && g.weight > 0);
  const total = weighted.reduce((sum, g) => sum + g.weight, 0);
  const choose = (group: Group, x: Parameters<ReturnType<NodeCompiler<z.output<typeof RouteNode>>>>[0]) => {
    x.note(`route:${group.name}`);
    x.route = group.route;
  };
  return (x) => {
    for (const g of conditional) {
      let hit: unknown;
      try {
        hit = g.when!(x.vars());
      } catch (err) {
        if (isBudgetSpent(err)) throw err;
        throw new GatehouseError('GATEHOUSE_WORKFLOW_CONDITION_FAILED', `Workflow node ${node.id}, group ${g.name}: ${celFailure(err)}`, { node: node.id });
      }
      if (hit === true) return choose(g, x);
    }
    if (total === 0) return;
    let draw = Math.random() * total;
    for (const g of weighted) {
      draw -= g.weight;
      if (draw < 0) return choose(g, x);
    }
    choose(weighted[weighted.length - 1]!, x);
  };
};
