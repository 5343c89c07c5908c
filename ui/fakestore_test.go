package ui

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
)

// fakeReviews is a ReviewStore in memory that runs the real rules of
// package model. It keeps the partners too, so that a finalize changes
// what the next snapshot load returns. Every review it hands out is a
// copy: the app never shares memory with it.
type fakeReviews struct {
	mu      sync.Mutex
	prog    *model.Program
	snap    *store.Snapshot
	reviews map[model.Period]*model.Review

	writes int   // writes that changed something
	calls  int   // calls of any method but ReviewProposals
	reads  int   // calls of ReviewProposals: the cursor makes them
	err    error // when set, every write fails with it
	evErr  error // when set, ReviewProposals fails with it
}

var _ ReviewStore = (*fakeReviews)(nil)

func newFakeReviews(p *model.Program, snap *store.Snapshot) *fakeReviews {
	return &fakeReviews{prog: p, snap: snap, reviews: map[model.Period]*model.Review{}}
}

// cloneReview copies a review as the store's Brief hands it out: its
// proposals without their evidence and explanations, which ReviewProposals
// reads.
func cloneReview(r *model.Review) *model.Review {
	if r == nil {
		return nil
	}
	c := *r
	c.Proposals = slices.Clone(r.Proposals)
	for i := range c.Proposals {
		c.Proposals[i].Evaluation, c.Proposals[i].Explanation = nil, ""
	}
	c.Decisions = maps.Clone(r.Decisions)
	if c.Decisions == nil {
		c.Decisions = map[string]model.Decision{}
	}
	return &c
}

// Load is the snapshot as the store holds it now, for Options.Load.
func (f *fakeReviews) Load() (*store.Snapshot, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := *f.snap
	s.Partners = slices.Clone(f.snap.Partners)
	s.History = map[string][]model.History{}
	for id, hs := range f.snap.History {
		s.History[id] = slices.Clone(hs)
	}
	return &s, nil
}

func (f *fakeReviews) StartOrResumeReview(p *model.Program, period model.Period, by string, at time.Time) (*model.Review, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if r, ok := f.reviews[period]; ok {
		return cloneReview(r), false, nil
	}
	for _, r := range f.reviews {
		if r.Status == model.ReviewOpen {
			return nil, false, fmt.Errorf("the %s review is open: finalize it first", r.Period)
		}
	}
	if f.err != nil {
		return nil, false, f.err
	}
	r := model.StartReview(p, f.snap.Partners, f.snap.Production, period, by, at)
	f.reviews[period] = r
	f.writes++
	return cloneReview(r), true, nil
}

// UpdateReview runs fn, as the store does, on the part of the review that
// concerns partner: the header, the partner's proposal and its decision.
func (f *fakeReviews) UpdateReview(period model.Period, partner string, fn func(*model.Review) error) (model.Decision, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	r, ok := f.reviews[period]
	if !ok {
		return model.Decision{}, fmt.Errorf("review %s: %w", period, store.ErrNotFound)
	}
	if f.err != nil {
		return model.Decision{}, f.err
	}
	part := *r
	part.Proposals, part.Decisions = nil, map[string]model.Decision{}
	if pr, ok := r.Proposal(partner); ok {
		pr.Evaluation = nil
		part.Proposals = []model.Proposal{pr}
	}
	if d, ok := r.Decisions[partner]; ok {
		part.Decisions[partner] = d
	}
	before := maps.Clone(part.Decisions)
	if err := fn(&part); err != nil {
		return model.Decision{}, err
	}
	c := *r
	c.Decisions = maps.Clone(r.Decisions)
	for id := range before {
		delete(c.Decisions, id)
	}
	maps.Copy(c.Decisions, part.Decisions)
	f.reviews[period] = &c
	f.writes++
	return part.Decision(partner), nil
}

func (f *fakeReviews) ReviewProposals(period model.Period, partners ...string) (map[string]model.Proposal, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if f.evErr != nil {
		return nil, f.evErr
	}
	r, ok := f.reviews[period]
	if !ok {
		return nil, fmt.Errorf("review %s: %w", period, store.ErrNotFound)
	}
	out := map[string]model.Proposal{}
	for _, id := range partners {
		if pr, ok := r.Proposal(id); ok {
			out[id] = pr
		}
	}
	return out, nil
}

func (f *fakeReviews) FinalizeReview(p *model.Program, period model.Period, by string, at time.Time) (*model.Review, []model.History, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	r, ok := f.reviews[period]
	if !ok {
		return nil, nil, fmt.Errorf("review %s: %w", period, store.ErrNotFound)
	}
	if f.err != nil {
		return nil, nil, f.err
	}
	byID := map[string]model.Partner{}
	for _, pa := range f.snap.Partners {
		byID[pa.ID] = pa
	}
	c := cloneReview(r)
	changed, hist, err := c.Finalize(p, func(id string) (model.Partner, bool) { pa, ok := byID[id]; return pa, ok }, by, at)
	if err != nil {
		return cloneReview(r), nil, err
	}
	for _, pa := range changed {
		i := slices.IndexFunc(f.snap.Partners, func(q model.Partner) bool { return q.ID == pa.ID })
		f.snap.Partners[i] = pa
	}
	if f.snap.History == nil {
		f.snap.History = map[string][]model.History{}
	}
	for _, h := range hist {
		f.snap.History[h.Partner] = append(f.snap.History[h.Partner], h)
	}
	f.reviews[period] = c
	f.writes++
	done := cloneReview(c)
	done.Proposals = nil // as store.Brief: the app holds them
	return done, slices.Clone(hist), nil
}

// ReviewInfos counts each review as the store does: the header and
// decisions with only the decided proposals, and the counts of the whole.
func (f *fakeReviews) ReviewInfos(p *model.Program) ([]store.ReviewInfo, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	out := make([]store.ReviewInfo, 0, len(f.reviews))
	for _, r := range f.reviews {
		c := cloneReview(r)
		decided, moves := r.Progress()
		info := store.ReviewInfo{Review: c, Proposals: len(r.Proposals), Decided: decided, Moves: moves, Summary: r.Summary(p)}
		c.Proposals = slices.DeleteFunc(c.Proposals, func(pr model.Proposal) bool { _, ok := r.Decisions[pr.Partner]; return !ok })
		out = append(out, info)
	}
	return out, nil
}

func (f *fakeReviews) Review(period model.Period) (*model.Review, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	r, ok := f.reviews[period]
	if !ok {
		return nil, fmt.Errorf("review %s: %w", period, store.ErrNotFound)
	}
	return cloneReview(r), nil
}

func (f *fakeReviews) OpenReview() (*model.Review, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	for _, r := range f.reviews {
		if r.Status == model.ReviewOpen {
			return cloneReview(r), nil
		}
	}
	return nil, fmt.Errorf("open review: %w", store.ErrNotFound)
}

// decision is the stored decision on a partner in period's review.
func (f *fakeReviews) decision(period model.Period, partner string) (model.Decision, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.reviews[period]
	if !ok {
		return model.Decision{}, false
	}
	d, ok := r.Decisions[partner]
	return d, ok
}

func (f *fakeReviews) review(period model.Period) *model.Review {
	f.mu.Lock()
	defer f.mu.Unlock()
	return cloneReview(f.reviews[period])
}

func (f *fakeReviews) DiscardReview(period model.Period) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	r, ok := f.reviews[period]
	switch {
	case !ok:
		return fmt.Errorf("review %s: %w", period, store.ErrNotFound)
	case r.Status == model.ReviewFinalized:
		return model.ErrFinalized
	}
	delete(f.reviews, period)
	f.writes++
	return nil
}
