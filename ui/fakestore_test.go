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
	calls  int   // calls of any method
	err    error // when set, every write fails with it
}

var _ ReviewStore = (*fakeReviews)(nil)

func newFakeReviews(p *model.Program, snap *store.Snapshot) *fakeReviews {
	return &fakeReviews{prog: p, snap: snap, reviews: map[model.Period]*model.Review{}}
}

func cloneReview(r *model.Review) *model.Review {
	if r == nil {
		return nil
	}
	c := *r
	c.Proposals = slices.Clone(r.Proposals)
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

func (f *fakeReviews) UpdateReview(period model.Period, fn func(*model.Review) error) (*model.Review, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	r, ok := f.reviews[period]
	if !ok {
		return nil, fmt.Errorf("review %s: %w", period, store.ErrNotFound)
	}
	if f.err != nil {
		return nil, f.err
	}
	c := cloneReview(r)
	if err := fn(c); err != nil {
		return nil, err
	}
	f.reviews[period] = c
	f.writes++
	return cloneReview(c), nil
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
	changed, hist, err := c.Finalize(p, byID, by, at)
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
	return cloneReview(c), slices.Clone(hist), nil
}

func (f *fakeReviews) Reviews() ([]*model.Review, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	out := make([]*model.Review, 0, len(f.reviews))
	for _, r := range f.reviews {
		out = append(out, cloneReview(r))
	}
	return out, nil
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
