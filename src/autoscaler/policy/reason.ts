/**
 * Turns the figures behind a decision into the one-line reason an operator reads
 * in the autoscaler's log, e.g.
 * "utilization 0.84 > target 0.60 (+10% tolerance): 3 -> 5 edges (rate limit +4/60s)".
 */

export interface ReasonFacts {
  current: number;
  desired: number;
  utilization: number;
  target: number;
  tolerance: number;
  withinTolerance: boolean;
  /** ceil(current x utilization / target) before bounds, tolerance and limits. */
  wanted: number;
  minEdges: number;
  maxEdges: number;
  /** Set when the stabilization window kept a scale-down short of the recommendation. */
  stabilization?: { highest: number; windowMs: number };
  /** Set when a step limit was consulted. */
  step?: { direction: 'up' | 'down'; perPeriod: number; periodMs: number; limited: boolean };
}

function decimal(value: number, digits: number): string {
  return Number(value.toFixed(digits)).toString();
}

function seconds(ms: number): string {
  return `${decimal(ms / 1000, 1)}s`;
}

function edges(count: number): string {
  return count === 1 ? '1 edge' : `${count} edges`;
}

function describeUtilization(facts: ReasonFacts): string {
  const u = facts.utilization.toFixed(2);
  const t = facts.target.toFixed(2);
  const tol = `${decimal(facts.tolerance * 100, 1)}%`;
  if (facts.current === 0) return 'no active edges';
  if (facts.withinTolerance) return `utilization ${u} within target ${t} ±${tol}`;
  if (facts.utilization > facts.target) return `utilization ${u} > target ${t} (+${tol} tolerance)`;
  return `utilization ${u} < target ${t} (-${tol} tolerance)`;
}

/**
 * A fleet outside [minEdges, maxEdges] moves to the bound whatever the load says;
 * the load figures matter only if the policy wants to go past the bound.
 */
function boundNote(facts: ReasonFacts): { note: string; policyWentFurther: boolean } | undefined {
  if (facts.current < facts.minEdges) {
    return { note: `below minEdges ${facts.minEdges}`, policyWentFurther: facts.desired > facts.minEdges };
  }
  if (facts.current > facts.maxEdges) {
    return { note: `above maxEdges ${facts.maxEdges}`, policyWentFurther: facts.desired < facts.maxEdges };
  }
  return undefined;
}

function policyNotes(facts: ReasonFacts): string[] {
  const notes: string[] = [];
  if (!facts.withinTolerance && facts.wanted !== facts.desired) notes.push(`wanted ${facts.wanted}`);
  if (facts.wanted > facts.maxEdges) notes.push(`maxEdges ${facts.maxEdges}`);
  if (facts.wanted < facts.minEdges && !facts.withinTolerance) notes.push(`minEdges ${facts.minEdges}`);
  if (facts.stabilization) {
    const { highest, windowMs } = facts.stabilization;
    notes.push(`highest recommendation in the last ${seconds(windowMs)} is ${highest}`);
  }
  if (facts.step) {
    const { direction, perPeriod, periodMs, limited } = facts.step;
    const sign = direction === 'up' ? '+' : '-';
    const usedUp = limited && facts.desired === facts.current ? ' used up' : '';
    notes.push(`rate limit ${sign}${perPeriod}/${seconds(periodMs)}${usedUp}`);
  }
  return notes;
}

export function explainDecision(facts: ReasonFacts): string {
  const change = facts.desired === facts.current ? `holding at ${edges(facts.current)}` : `${facts.current} -> ${edges(facts.desired)}`;
  const bound = boundNote(facts);
  let notes: string[];
  if (!bound) notes = policyNotes(facts);
  else if (bound.policyWentFurther) notes = [bound.note, ...policyNotes(facts)];
  else notes = [bound.note];
  const suffix = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return `${describeUtilization(facts)}: ${change}${suffix}`;
}
