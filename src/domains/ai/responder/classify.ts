/**
 * Offline, deterministic reading of an inbound message: which escalation categories its wording
 * falls in (emergency, refund, complaint, booking change), how tense it is (sentiment and
 * wording, with a severity) and whether it talks about leaving (churn language).
 *
 * Rules are word patterns with weights, tuned on eval/responder/messages.json; they are cheap
 * enough to run on every message before any model is asked.
 */
import type { SEVERITIES } from '../../conversations/workflow.js';

export type Severity = (typeof SEVERITIES)[number];
export type ContentCategory = 'emergency' | 'refund' | 'complaint' | 'booking_change';

interface Rule {
  re: RegExp;
  severity: Severity;
}

/** Patterns per category; a category's severity is that of its strongest matching rule. */
const CATEGORY_RULES: Record<ContentCategory, Rule[]> = {
  emergency: [
    {
      re: /\b(fire|smoke (is )?coming|on fire|flames?|gas leak|smell(s|ing)? (of )?gas|carbon monoxide|co alarm|co detector)\b/,
      severity: 'critical',
    },
    {
      re: /\b(flood(ed|ing)?|burst pipe|pipe (has )?burst|water (is )?(pouring|everywhere|coming through))\b/,
      severity: 'critical',
    },
    {
      re: /\b(injur(ed|y)|bleeding|ambulance|unconscious|break-?in|broken into|intruder|someone (is )?in the (house|apartment))\b/,
      severity: 'critical',
    },
    { re: /\b(water leak|leak(ing|s)?|dripping from the ceiling)\b/, severity: 'high' },
    {
      re: /\b(no heat(ing)?|heating (is )?(not working|broken|off)|heater (is )?(not working|broken)|freezing in here)\b/,
      severity: 'high',
    },
    {
      re: /\b(no power|power (is )?(out|cut)|power outage|no electricity|locked out|lock (is )?(broken|jammed)|sparks?)\b/,
      severity: 'high',
    },
    { re: /\b(emergency|urgent help)\b/, severity: 'high' },
  ],
  refund: [
    {
      re: /\b(refunds?|refunded|money back|reimburse(ment|d)?|charge ?back|compensat(e|ion)|charged (me )?twice|double[- ]charged|overcharged|partial credit)\b/,
      severity: 'medium',
    },
  ],
  booking_change: [
    {
      re: /\b(change|modify|move|shift|switch) (my |our |the )?(booking|reservation|dates|stay|check-?in date|check-?out date)\b/,
      severity: 'low',
    },
    { re: /\b(cancel|cancell?ing) (my |our |the )?(booking|reservation|stay|trip)\b/, severity: 'medium' },
    {
      re: /\b(extend (my |our |the )?stay|add (an? |one |two )?(extra )?nights?|stay (an? |one )?(extra|more) nights?|different dates|reschedule (my |our |the )?(stay|booking|session|call))\b/,
      severity: 'low',
    },
  ],
  complaint: [
    {
      re: /\b(dirty|filthy|disgusting|stain(s|ed)|bed ?bugs|cockroach(es)?|mou?se|mice|smells? (bad|awful)|not as described|rude|unacceptable|complain(t|ing)?|terrible (stay|service)|worst|noisy|too loud|broken (tv|shower|bed|window|ac|air ?con|wifi)|not clean)\b/,
      severity: 'medium',
    },
    {
      re: /\b(no hot water|hot water (is )?(not working|off)|wi-?fi (is )?(not working|down)|ac (is )?not working)\b/,
      severity: 'medium',
    },
  ],
};

const CHURN_RULES: RegExp[] = [
  /\b(cancel(l?ing)?|terminat(e|ing)|end(ing)?) (our|my|the) (subscription|contract|account|plan|retainer|membership|agreement|program(me)?)\b/,
  /\b(not|won'?t( be)?|will not( be)?|aren'?t|are not|don'?t plan to|do not plan to) renew(ing)?\b/,
  /\b(switch(ing)?|mov(e|ing)|go(ing)?) (over )?to (another|a different|a new|a cheaper|one of your) (vendor|provider|agency|tool|platform|coach|solution)\b/,
  /\b(switch(ing)? (vendors?|providers?|agenc(y|ies)))\b/,
  /\b(look(ing)? at|evaluat(e|ing)|talk(ing)? to|consider(ing)?) (other|alternative|competing) (vendors?|providers?|agencies|options|tools|platforms)\b/,
  /\b(alternatives|competitors?)\b.*\b(cheaper|better|switch|move)\b/,
  /\b(not worth (the|it|what we pay)|why are we (still )?paying|pull the plug)\b/,
];

/** Negative wording with its weight; tension is the sum, damped by positive wording. */
const NEGATIVE: Array<[RegExp, number]> = [
  [/\b(furious|livid|outraged|fed up|sick of|pissed)\b/g, 3],
  [/\b(unacceptable|ridiculous|incompetent|useless|pathetic|wtf|joke|disaster|nightmare)\b/g, 3],
  [/\b(angry|frustrat(ed|ing)|disappointed|annoyed|upset|unhappy|terrible|awful|horrible|worst)\b/g, 2],
  [/\b(not (happy|ok|okay|acceptable|good enough|satisfied))\b/g, 2],
  [
    /\b(missed (the |another |our )?deadline|blown (the )?deadline|behind schedule|still (not|no|waiting|broken|hasn'?t|haven'?t)|yet again|third time|how many times|no one (has )?(responded|replied|answered|got back)|nobody (has )?(responded|replied|answered|got back)|been waiting|ignored|ghosted)\b/g,
    2,
  ],
  [/\b(lawyer|legal action|sue|escalate this|speak to (your|a) manager)\b/g, 3],
  [/\b(asap|immediately|right now|urgent(ly)?|seriously|again)\b/g, 1],
  [/!{2,}/g, 1],
];
const POSITIVE: RegExp =
  /\b(thanks?|thank you|great|love|awesome|appreciate|perfect|wonderful|amazing|excellent|happy with|nice)\b/g;

export interface Sentiment {
  /** -1 (hostile) … 1 (warm). */
  score: number;
  label: 'negative' | 'neutral' | 'positive';
  cues: string[];
}

export interface Tension {
  /** `none` when the wording carries no tension worth a human's attention. */
  severity: Severity | 'none';
  points: number;
  cues: string[];
}

export interface Classification {
  /** Content categories found, strongest first. */
  categories: Array<{ category: ContentCategory; severity: Severity; cues: string[] }>;
  sentiment: Sentiment;
  tension: Tension;
  churn: { detected: boolean; cues: string[] };
}

const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3, critical: 4 };
export const severityRank = (s: Severity | 'none'): number => (s === 'none' ? 0 : SEVERITY_RANK[s]);

const CATEGORY_ORDER: ContentCategory[] = ['emergency', 'refund', 'booking_change', 'complaint'];

/** Words in capitals (3+ letters, at least two of them) read as shouting. */
function shouting(text: string): string[] {
  const words = text.match(/\b[A-Z]{3,}\b/g) ?? [];
  const meaningful = words.filter(
    (w) => !['ASAP', 'FAQ', 'API', 'URL', 'SMS', 'PDF', 'USD', 'EUR', 'CEO', 'WTF'].includes(w),
  );
  return meaningful.length >= 2 ? meaningful : [];
}

function tensionOf(text: string, lower: string): { tension: Tension; sentiment: Sentiment } {
  const cues: string[] = [];
  let points = 0;
  for (const [re, weight] of NEGATIVE) {
    for (const m of lower.matchAll(re)) {
      points += weight;
      cues.push(m[0]);
    }
  }
  const caps = shouting(text);
  if (caps.length > 0) {
    points += 2;
    cues.push(caps.join(' '));
  }
  const positives = [...lower.matchAll(POSITIVE)].map((m) => m[0]);
  const net = points - positives.length;
  const severity: Tension['severity'] =
    net >= 9 ? 'critical' : net >= 5 ? 'high' : net >= 3 ? 'medium' : net >= 2 ? 'low' : 'none';
  const score = Math.max(-1, Math.min(1, (positives.length - points) / 6));
  const label = score <= -0.25 ? 'negative' : score >= 0.25 ? 'positive' : 'neutral';
  return {
    tension: { severity, points: Math.max(0, net), cues },
    sentiment: { score: Math.round(score * 100) / 100, label, cues: [...cues, ...positives] },
  };
}

/** Classifies one inbound message (pure and deterministic). */
export function classifyMessage(text: string): Classification {
  const lower = text.toLowerCase().replace(/[’‘]/g, "'");
  const categories: Classification['categories'] = [];
  for (const category of CATEGORY_ORDER) {
    let best: Severity | null = null;
    const cues: string[] = [];
    for (const rule of CATEGORY_RULES[category]) {
      const m = rule.re.exec(lower);
      if (!m) continue;
      cues.push(m[0]);
      if (best === null || SEVERITY_RANK[rule.severity] > SEVERITY_RANK[best]) best = rule.severity;
    }
    if (best) categories.push({ category, severity: best, cues });
  }
  const churnCues = CHURN_RULES.map((re) => re.exec(lower)?.[0]).filter((c): c is string => Boolean(c));
  return {
    categories,
    ...tensionOf(text, lower),
    churn: { detected: churnCues.length > 0, cues: churnCues },
  };
}
