package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/partnertiers/partnertiers/model"
)

// A review comes without its proposals' evidence (every tier's criteria
// against the production, a kilobyte or two a partner) and explanations:
// too much to hold for 100k partners. The Review tab reads both, the
// proposal in full, for the rows around the cursor, a screenful in one
// read, and keeps what it read while the same review is shown.

// evidenceCacheMax bounds the evidence kept: past it, the cache starts
// again from the rows on screen.
const evidenceCacheMax = 2048

// reviewKey names one review as started: evaluated again, it is another.
type reviewKey struct {
	period  model.Period
	started time.Time
}

func keyOf(r *model.Review) reviewKey { return reviewKey{period: r.Period, started: r.StartedAt} }

func (k reviewKey) same(o reviewKey) bool { return k.period == o.period && k.started.Equal(o.started) }

// evidenceCache is the evidence read for one review.
type evidenceCache struct {
	key     reviewKey
	m       map[string]model.Proposal // in full
	loading map[string]bool           // asked for, not back yet
	failed  map[string]bool           // not read: not asked for again
	erred   map[string]bool           // failed because the read erred: asked again later
	erredAt time.Time                 // when; retried on a key press from retryAfter on
	err     error                     // the last read's error
}

// retryAfter is how long a failed evidence read waits before a key press
// asks again: a store busy for a moment recovers, one that stays busy is
// not asked in a loop.
const retryAfter = 2 * time.Second

func (c *evidenceCache) reset(k reviewKey) {
	*c = evidenceCache{key: k, m: map[string]model.Proposal{}, loading: map[string]bool{}, failed: map[string]bool{}, erred: map[string]bool{}}
}

// retry lets the evidence a failed read missed be asked for again, once
// retryAfter has passed since it failed.
func (c *evidenceCache) retry(now time.Time) {
	if len(c.erred) == 0 || now.Sub(c.erredAt) < retryAfter {
		return
	}
	for id := range c.erred {
		delete(c.failed, id)
	}
	clear(c.erred)
}

// inFull is a proposal with its explanation and evidence: itself if it
// carries them, or the one read. Its Evaluation may still be nil: a review
// migrated from the first layout may hold proposals without evidence.
func (s *reviewScreen) inFull(pr model.Proposal) (model.Proposal, bool) {
	if pr.Evaluation != nil {
		return pr, true
	}
	if s.cur == nil || s.ev.m == nil || !s.ev.key.same(keyOf(s.cur.r)) {
		return pr, false
	}
	full, ok := s.ev.m[pr.Partner]
	if !ok {
		return pr, false
	}
	return full, true
}

// evidenceCmd reads the evidence the rows around the cursor lack, the
// selected one first, unless it is there or on its way. It runs after
// every message the tab handles, so a moved cursor or a review read again
// finds its evidence.
func (s *reviewScreen) evidenceCmd() tea.Cmd {
	if s.store == nil || s.cur == nil || s.shown == 0 {
		return nil
	}
	key := keyOf(s.cur.r)
	if s.ev.m == nil || !s.ev.key.same(key) || len(s.ev.m) > evidenceCacheMax {
		s.ev.reset(key)
	}
	want := func(pos int) (string, bool) {
		pr := s.cur.r.Proposals[s.rowAt(pos)]
		id := pr.Partner
		if pr.Evaluation != nil || s.ev.loading[id] || s.ev.failed[id] {
			return id, false
		}
		_, have := s.ev.m[id]
		return id, !have
	}
	if _, need := want(s.cursor); !need {
		return nil
	}
	var ids []string
	lo, hi := max(0, s.cursor-s.listHeight), min(s.shown-1, s.cursor+s.listHeight)
	for pos := lo; pos <= hi; pos++ {
		if id, need := want(pos); need {
			ids = append(ids, id)
			s.ev.loading[id] = true
		}
	}
	st, period := s.store, s.cur.r.Period
	return func() tea.Msg {
		prs, err := st.ReviewProposals(period, ids...)
		return evidenceLoadedMsg{key: key, ids: ids, prs: prs, err: err}
	}
}

// onEvidence keeps what was read, if the review is still the one shown.
func (s *reviewScreen) onEvidence(msg evidenceLoadedMsg) {
	if s.ev.m == nil || !s.ev.key.same(msg.key) {
		return
	}
	s.ev.err = msg.err
	for _, id := range msg.ids {
		delete(s.ev.loading, id)
		if pr, ok := msg.prs[id]; ok { // with its evidence, or none was kept
			s.ev.m[id] = pr
			continue
		}
		s.ev.failed[id] = true
		if msg.err != nil {
			s.ev.erred[id] = true // the store busy for a moment: try again later
			s.ev.erredAt = s.now()
		}
	}
}

// rowAt is the proposal index at selectable position pos.
func (s *reviewScreen) rowAt(pos int) int32 {
	gv := s.groups[s.groupAt(pos)]
	return gv.rows[pos-gv.first]
}
