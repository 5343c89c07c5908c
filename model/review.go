package model

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ReviewStatus is whether a review still takes decisions.
type ReviewStatus string

const (
	ReviewOpen      ReviewStatus = "open"
	ReviewFinalized ReviewStatus = "finalized"
)

// DecisionKind is what the reviewer said about a proposal.
type DecisionKind string

const (
	Pending    DecisionKind = "pending"
	Accepted   DecisionKind = "accepted"
	Overridden DecisionKind = "overridden"
)

// Decision is a reviewer's answer to one proposal.
type Decision struct {
	Partner string
	Kind    DecisionKind
	Tier    string // the final tier: the proposal's To when accepted
	Reason  string // required for an override
	By      string
	At      time.Time
}

// Review is one run of every active partner against the criteria for a
// period. Its proposals are frozen when it starts, so decisions are made on
// the evidence the reviewer saw; nothing is applied until Finalize.
type Review struct {
	Period      Period
	Status      ReviewStatus
	StartedBy   string
	StartedAt   time.Time
	FinalizedBy string
	FinalizedAt time.Time
	Proposals   []Proposal          // ordered promote, demote, grace, new, hold; then by name
	Decisions   map[string]Decision // by partner id
}

// Errors a reviewer can get back; the CLI and the app show them as they are.
var (
	ErrFinalized     = errors.New("the review is finalized and read-only")
	ErrBlankReason   = errors.New("an override needs a reason")
	ErrNotInReview   = errors.New("partner is not in this review")
	ErrUnknownTier   = errors.New("no such tier")
	ErrUndecided     = errors.New("undecided moves")
	ErrNothingToUndo = errors.New("no decision to undo")
	ErrSameTier      = errors.New("that is the proposal: accept it instead")
	ErrStale         = errors.New("tiers changed since the review started")
)

// StartReview evaluates every active partner for period and freezes the
// proposals. Where the evidence of misses begins (Propose's since) is the
// first period production holds. The store, which evaluates one partner at
// a time as it reads them, calls Propose itself.
func StartReview(p *Program, partners []Partner, production map[string]Series, period Period, by string, at time.Time) *Review {
	var since Period
	for _, s := range production {
		for q := range s.Periods() {
			if since.IsZero() || q.Before(since) {
				since = q
			}
			break // oldest first
		}
	}
	r := &Review{Period: period, Status: ReviewOpen, StartedBy: by, StartedAt: at, Decisions: map[string]Decision{}}
	for i := range partners {
		if partners[i].Active() {
			r.Proposals = append(r.Proposals, Propose(p, &partners[i], production[partners[i].ID], period, since))
		}
	}
	SortProposals(r.Proposals)
	return r
}

// SortProposals orders proposals as a review lists them: by kind (in
// Kinds order), then by name ignoring case, then by partner id. The order
// follows from the proposals alone, so a store need not keep it. The sort
// keys are worked out once per proposal, not in every comparison, and the
// proposals are moved in place: a review of 100k is not copied.
func SortProposals(prs []Proposal) {
	type key struct {
		k proposalKey
		i int
	}
	keys := make([]key, len(prs))
	for i := range prs {
		keys[i] = key{keyOfProposal(prs[i]), i}
	}
	slices.SortStableFunc(keys, func(a, b key) int { return a.k.compare(b.k) })
	// Position j takes the proposal at keys[j].i: follow each cycle of
	// that permutation, marking positions done with i = -1.
	for start := range keys {
		if keys[start].i < 0 {
			continue
		}
		held := prs[start]
		j := start
		for {
			from := keys[j].i
			keys[j].i = -1
			if from == start {
				prs[j] = held
				break
			}
			prs[j] = prs[from]
			j = from
		}
	}
}

// Proposal finds the proposal for a partner.
func (r *Review) Proposal(partner string) (Proposal, bool) {
	i := slices.IndexFunc(r.Proposals, func(pr Proposal) bool { return pr.Partner == partner })
	if i < 0 {
		return Proposal{}, false
	}
	return r.Proposals[i], true
}

// Decision is the reviewer's decision on a partner, Pending if none.
func (r *Review) Decision(partner string) Decision {
	if d, ok := r.Decisions[partner]; ok {
		return d
	}
	return Decision{Partner: partner, Kind: Pending}
}

// Accept records acceptance of the proposal.
func (r *Review) Accept(partner, by string, at time.Time) (Decision, error) {
	pr, err := r.decidable(partner)
	if err != nil {
		return Decision{}, err
	}
	d := Decision{Partner: partner, Kind: Accepted, Tier: pr.To, By: by, At: at}
	r.Decisions[partner] = d
	return d, nil
}

// Override records a different tier than proposed, with a reason.
func (r *Review) Override(p *Program, partner, tier, reason, by string, at time.Time) (Decision, error) {
	pr, err := r.decidable(partner)
	if err != nil {
		return Decision{}, err
	}
	t, ok := p.FindTier(tier)
	if !ok {
		return Decision{}, fmt.Errorf("%w %q (tiers: %s)", ErrUnknownTier, tier, strings.Join(tierKeys(p), ", "))
	}
	if t.Key == pr.To {
		return Decision{}, fmt.Errorf("%s → %s: %w", p.TierName(pr.From), t.Name, ErrSameTier)
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return Decision{}, ErrBlankReason
	}
	d := Decision{Partner: partner, Kind: Overridden, Tier: t.Key, Reason: reason, By: by, At: at}
	r.Decisions[partner] = d
	return d, nil
}

// Undo removes the decision on a partner.
func (r *Review) Undo(partner string) error {
	if _, err := r.decidable(partner); err != nil {
		return err
	}
	if _, ok := r.Decisions[partner]; !ok {
		return ErrNothingToUndo
	}
	delete(r.Decisions, partner)
	return nil
}

func (r *Review) decidable(partner string) (Proposal, error) {
	if r.Status == ReviewFinalized {
		return Proposal{}, ErrFinalized
	}
	pr, ok := r.Proposal(partner)
	if !ok {
		return Proposal{}, fmt.Errorf("%s: %w %s", partner, ErrNotInReview, r.Period)
	}
	return pr, nil
}

// Final is the tier a partner ends the review in: the decision's tier, or
// the proposal's for a hold that nobody overrode. ok is false for a move
// still waiting on a decision.
func (r *Review) Final(pr Proposal) (tier string, ok bool) {
	if d, decided := r.Decisions[pr.Partner]; decided {
		return d.Tier, true
	}
	if pr.Kind.IsMove() {
		return "", false
	}
	return pr.To, true
}

// Upward reports whether an override puts the partner above what it earned.
func (r *Review) Upward(p *Program, pr Proposal) bool {
	d, ok := r.Decisions[pr.Partner]
	return ok && d.Kind == Overridden && p.TierIndex(d.Tier) > p.TierIndex(pr.Earned)
}

// Undecided lists the moves that still need a decision.
func (r *Review) Undecided() []Proposal {
	var out []Proposal
	for _, pr := range r.Proposals {
		if _, ok := r.Final(pr); !ok {
			out = append(out, pr)
		}
	}
	return out
}

// Progress is how many moves are decided out of the moves to decide.
func (r *Review) Progress() (decided, total int) {
	for _, pr := range r.Proposals {
		if pr.Kind.IsMove() {
			total++
			if _, ok := r.Decisions[pr.Partner]; ok {
				decided++
			}
		}
	}
	return decided, total
}

// Finalize applies every decision at once: each partner whose final tier
// differs from its current one gets the new tier, tier-since set to at, and
// one history entry. It changes nothing and returns ErrUndecided while any
// move is undecided. partner looks a partner up by id as it is stored now.
// A history entry's reason is the override's, or the proposal's
// explanation: a review read without the explanations of its holds
// finalizes the same. The caller writes partners, history and the review
// in one transaction.
func (r *Review) Finalize(p *Program, partner func(id string) (Partner, bool), by string, at time.Time) ([]Partner, []History, error) {
	f, err := r.Finalizer(p, by, at)
	if err != nil {
		return nil, nil, err
	}
	for _, pr := range r.Proposals {
		pa, ok := partner(pr.Partner)
		f.Add(pr, pa, ok)
	}
	return f.Done()
}

// A Finalizer is Finalize one proposal at a time, for a store that reads a
// review of 100k partners in batches rather than whole: Add every
// proposal, in any order, with its partner as stored now, then Done. Only
// what changes is kept.
type Finalizer struct {
	p         *Program
	r         *Review
	by        string
	at        time.Time
	undecided []Proposal
	stale     []Proposal // with From set to the tier the partner has now
	missing   []Proposal // changes whose partner the store lacks
	changes   []change
}

// change is what one proposal changes, with its place in the review.
type change struct {
	key     proposalKey
	partner Partner
	history History
}

// proposalKey orders proposals as a review lists them (SortProposals).
type proposalKey struct {
	kind     int
	name, id string
}

func keyOfProposal(pr Proposal) proposalKey {
	return proposalKey{slices.Index(Kinds, pr.Kind), strings.ToLower(pr.Name), pr.Partner}
}

func (a proposalKey) compare(b proposalKey) int {
	return cmp.Or(cmp.Compare(a.kind, b.kind), cmp.Compare(a.name, b.name), cmp.Compare(a.id, b.id))
}

// Finalizer starts finalizing r; ErrFinalized if it is.
func (r *Review) Finalizer(p *Program, by string, at time.Time) (*Finalizer, error) {
	if r.Status == ReviewFinalized {
		return nil, ErrFinalized
	}
	return &Finalizer{p: p, r: r, by: by, at: at}, nil
}

// Add takes one proposal of the review and its partner as stored now
// (found false when the store no longer has it).
func (f *Finalizer) Add(pr Proposal, pa Partner, found bool) {
	final, decided := f.r.Final(pr)
	if !decided {
		f.undecided = append(f.undecided, pr)
		return
	}
	// A proposal moves a partner from the tier it had when the review
	// started; applying it to a tier changed since (a roster import)
	// would skip steps, so finalize refuses instead.
	if found && pa.Tier != pr.From {
		stale := pr
		stale.To = pa.Tier
		f.stale = append(f.stale, stale)
		return
	}
	if final == pr.From {
		return
	}
	if !found {
		f.missing = append(f.missing, pr)
		return
	}
	h := History{Partner: pr.Partner, From: pr.From, To: final, Period: f.r.Period, Reason: pr.Explanation, By: f.by, At: f.at}
	if d, ok := f.r.Decisions[pr.Partner]; ok {
		h.By = cmp.Or(d.By, f.by)
		if d.Kind == Overridden {
			h.Override, h.Reason = true, d.Reason
		}
	}
	h.Kind = Promote
	if f.p.TierIndex(final) < f.p.TierIndex(pr.From) {
		h.Kind = Demote
	}
	h.Apply(&pa)
	f.changes = append(f.changes, change{keyOfProposal(pr), pa, h})
}

// Undecided is the moves added without a decision, in review order.
func (f *Finalizer) Undecided() []Proposal {
	SortProposals(f.undecided)
	return f.undecided
}

// Done finishes: the partners to write and their history entries, in
// review order, and the review marked finalized; or, changing nothing,
// ErrUndecided, ErrStale, or a partner a change needs that is gone.
func (f *Finalizer) Done() ([]Partner, []History, error) {
	if und := f.Undecided(); len(und) > 0 {
		names := make([]string, len(und))
		for i, pr := range und {
			names[i] = pr.Name
		}
		return nil, nil, fmt.Errorf("%w: %d to decide (%s)", ErrUndecided, len(und), strings.Join(names, ", "))
	}
	if len(f.stale) > 0 {
		SortProposals(f.stale)
		names := make([]string, len(f.stale))
		for i, pr := range f.stale {
			names[i] = fmt.Sprintf("%s (%s, now %s)", pr.Name, f.p.TierName(pr.From), f.p.TierName(pr.To))
		}
		return nil, nil, fmt.Errorf("%w: %s; discard the review and start it again", ErrStale, strings.Join(names, ", "))
	}
	if len(f.missing) > 0 {
		SortProposals(f.missing)
		return nil, nil, fmt.Errorf("finalize: partner %q is no longer in the store", f.missing[0].Partner)
	}
	// In review order, however they were added: the history lists a
	// review's moves as the review does.
	slices.SortFunc(f.changes, func(a, b change) int { return a.key.compare(b.key) })
	changed, history := make([]Partner, len(f.changes)), make([]History, len(f.changes))
	for i, c := range f.changes {
		changed[i], history[i] = c.partner, c.history
	}
	f.r.Status, f.r.FinalizedBy, f.r.FinalizedAt = ReviewFinalized, f.by, f.at
	return changed, history, nil
}

// ReviewSummary counts what a review proposes and what it decides.
type ReviewSummary struct {
	Kinds         map[MoveKind]int // proposals by kind
	Promotions    int              // final tier above the current one
	Demotions     int              // final tier below the current one
	Overrides     int
	OverridesUp   int // overrides above the earned tier (Review.Upward)
	OverridesDown int // the other overrides
	Undecided     int
	Before, After map[string]int // partners per tier key; After counts undecided moves where they stand
}

// Summary counts the review as it stands.
func (r *Review) Summary(p *Program) ReviewSummary {
	s := ReviewSummary{Kinds: map[MoveKind]int{}, Before: map[string]int{}, After: map[string]int{}}
	for _, pr := range r.Proposals {
		d, ok := r.Decisions[pr.Partner]
		s.add(p, pr, d, ok, 1)
	}
	return s
}

// Count adds one proposal to the counts, with its decision when decided
// is true. Summary is Count over every proposal.
func (s *ReviewSummary) Count(p *Program, pr Proposal, d Decision, decided bool) {
	s.add(p, pr, d, decided, 1)
}

// Uncount takes a proposal and its decision out of the counts again:
// Uncount with the old decision, then Count with the new one, keeps a
// summary current when one decision changes, without a walk over every
// proposal. The result equals Summary of the changed review.
func (s *ReviewSummary) Uncount(p *Program, pr Proposal, d Decision, decided bool) {
	s.add(p, pr, d, decided, -1)
}

func (s *ReviewSummary) add(p *Program, pr Proposal, d Decision, decided bool, n int) {
	if s.Kinds == nil {
		s.Kinds = map[MoveKind]int{}
	}
	if s.Before == nil {
		s.Before = map[string]int{}
	}
	if s.After == nil {
		s.After = map[string]int{}
	}
	bump(s.Kinds, pr.Kind, n)
	bump(s.Before, pr.From, n)
	final := pr.To // a hold nobody overrode
	switch {
	case decided:
		final = d.Tier
	case pr.Kind.IsMove():
		s.Undecided += n
		final = pr.From
	}
	bump(s.After, final, n)
	// A tier the program no longer has is neither below nor above another.
	if from := p.TierIndex(pr.From); from >= 0 {
		switch c := p.TierIndex(final) - from; {
		case c > 0:
			s.Promotions += n
		case c < 0:
			s.Demotions += n
		}
	}
	if decided && d.Kind == Overridden {
		// One meaning of "upward" everywhere: above what the partner earns,
		// as the Review tab marks it and the health check warns of it.
		s.Overrides += n
		if p.TierIndex(d.Tier) > p.TierIndex(pr.Earned) {
			s.OverridesUp += n
		} else {
			s.OverridesDown += n
		}
	}
}

// bump adds n to m[k], dropping the key at zero so a summary kept current
// by Count and Uncount holds the same keys as one counted afresh.
func bump[K comparable](m map[K]int, k K, n int) {
	if v := m[k] + n; v != 0 {
		m[k] = v
	} else {
		delete(m, k)
	}
}

func tierKeys(p *Program) []string {
	keys := make([]string, len(p.Tiers))
	for i, t := range p.Tiers {
		keys[i] = t.Key
	}
	return keys
}

// ErrPeriod is a period that may not be reviewed now.
var ErrPeriod = errors.New("cannot review that period")

// CheckReviewPeriod says whether period may be reviewed at now: it must
// have ended (a running period has no complete production), fit the
// cadence, and come after the last period reviewed (LastReviewed):
// reviewing an earlier period on older data would undo moves made since.
func CheckReviewPeriod(p *Program, period Period, now time.Time, reviews []*Review, history []History) error {
	if period.Cad != p.Cadence {
		return fmt.Errorf("%w: %s does not fit the %s cadence", ErrPeriod, period, p.Cadence)
	}
	if last := LastComplete(now, p.Cadence); last.Before(period) {
		return fmt.Errorf("%w: %s has not ended; the last complete period is %s", ErrPeriod, period, last)
	}
	if last := LastReviewed(p, reviews, history); !last.IsZero() && !last.Before(period) {
		return fmt.Errorf("%w: %s is already reviewed (its moves are on record); only a later period can be reviewed", ErrPeriod, last)
	}
	return nil
}

// LastReviewed is the latest period reviewed: of a finalized review, or of
// a review move on record in history (moves imported from before this
// tool count; tier changes a roster import set do not). Zero when none.
func LastReviewed(p *Program, reviews []*Review, history []History) Period {
	var last Period
	later := func(q Period) bool { return !q.IsZero() && q.Cad == p.Cadence && (last.IsZero() || last.Before(q)) }
	for _, r := range reviews {
		if r.Status == ReviewFinalized && later(r.Period) {
			last = r.Period
		}
	}
	for _, h := range history {
		if h.Reviewed() && later(h.Period) {
			last = h.Period
		}
	}
	return last
}
