/** The weights as shipped: sparse buckets (delta varints) and int8 values, both base64. */
export interface ShippedWeights {
  spec: number;
  bits: number;
  bias: number;
  scale: number;
  index: string;
  values: string;
  /** How they were trained: date, corpora, hyperparameters. */
  meta?: Readonly<Record<string, unknown>>;
}
