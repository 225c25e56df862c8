/**
 * @module execution/repeat-sampler
 * Decides, from the first elements a map-side combining table sees, whether combining there pays: when
 * (almost) every element opens a group of its own (flow logs keyed by address pairs, request ids), the table
 * only adds a hash lookup and a copy per element, so elements are better sent on as they are.
 */

/** Elements looked at before deciding. */
export const SAMPLE_ELEMENTS = 16_384;
/** Combining is skipped when at least this share of the sampled elements opened a new group. */
export const NEW_GROUP_SHARE_TO_SKIP = 0.9;

export type CombineDecision = 'undecided' | 'combine' | 'skip';

export class RepeatSampler {
  private seen = 0;
  private opened = 0;
  private decision: CombineDecision = 'undecided';

  constructor(private readonly sampleElements = SAMPLE_ELEMENTS) {}

  get state(): CombineDecision {
    return this.decision;
  }

  /** Records one element (and whether it opened a group); returns the decision, made once the sample is full. */
  observe(openedGroup: boolean): CombineDecision {
    if (this.decision !== 'undecided') return this.decision;
    this.seen++;
    if (openedGroup) this.opened++;
    if (this.seen >= this.sampleElements) this.decision = this.opened >= this.seen * NEW_GROUP_SHARE_TO_SKIP ? 'skip' : 'combine';
    return this.decision;
  }
}
