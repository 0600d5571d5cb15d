/**
 * What a model call costs, in micro-units of the currency (usage_events.cost_micros). Prices are
 * per million tokens; an agent may set its own in `model_config.pricing`
 * (`{ inputPerMillion, outputPerMillion }`), e.g. for a self-hosted model. Unknown models cost 0.
 */
const PRICES: Record<string, { inputPerMillion: number; outputPerMillion: number }> = {
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
};

type Pricing = { inputPerMillion: number; outputPerMillion: number };

/** The price of the longest known name `model` starts with (providers answer with dated names). */
function priceOf(model: string): Pricing | undefined {
  const known = Object.keys(PRICES)
    .filter((name) => model === name || model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  return known ? PRICES[known] : undefined;
}

function isPricing(value: unknown): value is Pricing {
  const p = value as Pricing | null;
  return (
    typeof p === 'object' &&
    p !== null &&
    Number.isFinite(p.inputPerMillion) &&
    Number.isFinite(p.outputPerMillion) &&
    p.inputPerMillion >= 0 &&
    p.outputPerMillion >= 0
  );
}

/** Cost in micros (1 currency unit = 1,000,000), rounded up so that no call is free by rounding. */
export function costMicros(
  model: string,
  usage: { inputTokens: number; outputTokens: number },
  override?: unknown,
): number {
  const price = isPricing(override) ? override : priceOf(model);
  if (!price) return 0;
  // price per million tokens × tokens = micros directly.
  return Math.ceil(usage.inputTokens * price.inputPerMillion + usage.outputTokens * price.outputPerMillion);
}
