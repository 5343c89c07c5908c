package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/safetext"
)

var (
	keyReview    = []byte("review")
	keyProposals = []byte("proposals")
	keyEvidence  = []byte("evidence")
	keyDecisions = []byte("decisions")
)

// reviewHeader is a review without its proposals and decisions, with the
// counts it had when it started.
type reviewHeader struct {
	Period      model.Period       `json:"period"`
	Status      model.ReviewStatus `json:"status"`
	StartedBy   string             `json:"started_by"`
	StartedAt   time.Time          `json:"started_at"`
	FinalizedBy string             `json:"finalized_by,omitempty"`
	FinalizedAt time.Time          `json:"finalized_at,omitzero"`
	// Proposals is how many proposals the review holds.
	Proposals int `json:"proposals"`
	// Base is the summary before any decision: with the decisions and
	// the proposals they concern, it is the summary as it stands,
	// without a read of every proposal.
	Base reviewCounts `json:"base"`
	// Strings is the table of the keys the evidence records number.
	Strings []string `json:"strings"`
	// Starting marks a review whose start has not written its last batch
	// (see reviewstart.go): every read passes over it.
	Starting bool `json:"starting,omitempty"`
}

// reviewCounts is a model.ReviewSummary of a review with no decisions, as
// the header stores it.
type reviewCounts struct {
	Kinds      map[model.MoveKind]int `json:"kinds"`
	Before     map[string]int         `json:"before"`
	After      map[string]int         `json:"after"`
	Moves      int                    `json:"moves"` // every move is undecided
	Promotions int                    `json:"promotions"`
	Demotions  int                    `json:"demotions"`
}

func (h *reviewHeader) review() *model.Review {
	return &model.Review{Period: h.Period, Status: h.Status, StartedBy: h.StartedBy, StartedAt: h.StartedAt,
		FinalizedBy: h.FinalizedBy, FinalizedAt: h.FinalizedAt, Decisions: map[string]model.Decision{}}
}

// baseCounts counts proposals with no decisions. Undecided, a proposal
// needs p only to tell a promotion from a demotion if it were a hold that
// changes tiers, and a hold keeps its tier: a migration, which has no
// program, passes an empty one.
func baseCounts(p *model.Program, prs []model.Proposal) reviewCounts {
	var s model.ReviewSummary
	for _, pr := range prs {
		s.Count(p, pr, model.Decision{}, false)
	}
	return countsOf(s)
}

// countsOf is the summary of a review with no decisions, as the header
// keeps it.
func countsOf(s model.ReviewSummary) reviewCounts {
	return reviewCounts{Kinds: s.Kinds, Before: s.Before, After: s.After, Moves: s.Undecided, Promotions: s.Promotions, Demotions: s.Demotions}
}

func (c reviewCounts) summary() model.ReviewSummary {
	return model.ReviewSummary{Kinds: maps.Clone(c.Kinds), Before: maps.Clone(c.Before), After: maps.Clone(c.After),
		Undecided: c.Moves, Promotions: c.Promotions, Demotions: c.Demotions}
}

// ReviewInfo is a review as lists of reviews show it and the health checks
// need it, read without its proposals: the header, the decisions and the
// counts.
type ReviewInfo struct {
	// Review is the review's header and every decision with, of its
	// proposals, only the ones decided on. Its period, status and
	// override counts are the review's; for the rest use the fields below.
	Review *model.Review
	// Proposals is how many proposals the review holds.
	Proposals int
	// Decided and Moves are the review's Progress.
	Decided, Moves int
	// Summary is the review's Summary.
	Summary model.ReviewSummary
}

// ReviewInfos reads every review's header, decisions and counts, oldest
// period first; p counts promotions and overrides.
func (s *Store) ReviewInfos(p *model.Program) ([]ReviewInfo, error) {
	var out []ReviewInfo
	err := s.view(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketReviews)
		if root == nil {
			return nil
		}
		return root.ForEachBucket(func(k []byte) error {
			in, err := readReviewInfo(root.Bucket(k), p)
			switch {
			case errors.Is(err, errStarting):
				return nil
			case err != nil:
				return fmt.Errorf("review %s: %w", k, err)
			}
			out = append(out, in)
			return nil
		})
	})
	return out, err
}

func readReviewInfo(b *bolt.Bucket, p *model.Program) (ReviewInfo, error) {
	h, err := readHeader(b)
	if err != nil {
		return ReviewInfo{}, err
	}
	if h.Starting {
		return ReviewInfo{}, errStarting
	}
	r := h.review()
	if err := readDecisions(b, r); err != nil {
		return ReviewInfo{}, err
	}
	props := b.Bucket(keyProposals)
	for id := range r.Decisions {
		v := props.Get([]byte(id))
		if v == nil {
			continue // a decision on no proposal counts for nothing
		}
		pr, err := decodeProposal([]byte(id), v)
		if err != nil {
			return ReviewInfo{}, fmt.Errorf("proposal of %q: %w", id, err)
		}
		r.Proposals = append(r.Proposals, pr)
	}
	model.SortProposals(r.Proposals)
	in := ReviewInfo{Review: r, Proposals: h.Proposals, Moves: h.Base.Moves, Summary: h.Base.summary()}
	for _, pr := range r.Proposals {
		in.Summary.Uncount(p, pr, model.Decision{}, false)
		in.Summary.Count(p, pr, r.Decisions[pr.Partner], true)
		if pr.Kind.IsMove() {
			in.Decided++
		}
	}
	return in, nil
}

// Review reads the review of a period, its proposals without their
// evidence (ReviewProposals reads it); ErrNotFound when there is none.
func (s *Store) Review(period model.Period) (*model.Review, error) {
	return s.review(period, readFull)
}

// OpenReview reads the review still taking decisions, as Review does;
// ErrNotFound when every review is finalized.
func (s *Store) OpenReview() (*model.Review, error) { return s.openReview(readFull) }

func (s *Store) review(period model.Period, mode readMode) (*model.Review, error) {
	var r *model.Review
	err := s.view(func(tx *bolt.Tx) error {
		b, err := reviewBucket(tx, period)
		if err != nil {
			return err
		}
		r, err = readReview(b, mode)
		return err
	})
	return r, err
}

func (s *Store) openReview(mode readMode) (*model.Review, error) {
	var r *model.Review
	err := s.view(func(tx *bolt.Tx) error {
		b, _, err := openReviewBucket(tx)
		if err != nil {
			return err
		}
		r, err = readReview(b, mode)
		return err
	})
	return r, err
}

// ReviewProposals reads the proposals of partners in the review of period
// in full: explanation and evidence (every tier's criteria against the
// production as it stood when the review started). Partners the review
// does not hold are left out of the map; ErrNotFound when there is no such
// review.
func (s *Store) ReviewProposals(period model.Period, partners ...string) (map[string]model.Proposal, error) {
	out := make(map[string]model.Proposal, len(partners))
	err := s.view(func(tx *bolt.Tx) error {
		b, err := reviewBucket(tx, period)
		if err != nil {
			return err
		}
		h, err := readHeader(b)
		if err != nil {
			return err
		}
		props, evidence := b.Bucket(keyProposals), b.Bucket(keyEvidence)
		for _, id := range partners {
			key := []byte(id)
			v := props.Get(key)
			if v == nil {
				continue
			}
			pr, err := decodeProposal(key, v)
			if err != nil {
				return fmt.Errorf("proposal of %q: %w", id, err)
			}
			if v := evidence.Get(key); v != nil {
				ev, err := decodeEvaluation(key, v, h.Strings)
				if err != nil {
					return fmt.Errorf("evidence of %q: %w", id, err)
				}
				pr.Evaluation = &ev
			}
			out[id] = pr
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("review %s: %w", period, err)
	}
	return out, nil
}

// StartOrResumeReview returns the review of period, its proposals without
// their evidence, starting it if there is none: every active partner is
// evaluated on the stored production and the proposals are frozen. Only
// one review is open at a time, and only a period that has ended and comes
// after the last finalized review can start (model.CheckReviewPeriod). An
// open review with no decisions yet is evaluated again when data was
// imported since it started, so a review begun too early does not freeze
// stale proposals.
//
// Resuming is a read. Starting evaluates in read transactions and takes
// the write lock only to write each batch it worked out (reviewstart.go),
// so another terminal's lookup goes on meanwhile.
func (s *Store) StartOrResumeReview(p *model.Program, period model.Period, by string, at time.Time) (*model.Review, bool, error) {
	r, _, started, err := s.startReview(p, period, by, at, readFull)
	if err != nil {
		return nil, false, fmt.Errorf("review %s: %w", period, err)
	}
	return r, started, nil
}

// EnsureReview starts period's review as StartOrResumeReview does, and
// reads nothing of it when it is already there and current: what a
// decision needs, which must find the review but none of its other
// proposals. It returns how many proposals the review holds and whether
// it started now.
func (s *Store) EnsureReview(p *model.Program, period model.Period, by string, at time.Time) (proposals int, started bool, err error) {
	_, proposals, started, err = s.startReview(p, period, by, at, readNone)
	if err != nil {
		return 0, false, fmt.Errorf("review %s: %w", period, err)
	}
	return proposals, started, nil
}

type record struct{ k, v []byte }

// putRecords puts records, sorted by key, in a bucket of records that
// never change once written (proposals and their evidence): pages are
// packed full.
func putRecords(b *bolt.Bucket, recs []record) error {
	b.FillPercent = 1
	for _, rec := range recs {
		if err := b.Put(rec.k, rec.v); err != nil {
			return err
		}
	}
	return nil
}

// DiscardReview deletes an open review and its decisions, so it can be
// started again on current data. A finalized review is history: refused.
func (s *Store) DiscardReview(period model.Period) error {
	err := s.update(func(tx *bolt.Tx) error {
		b, err := reviewBucket(tx, period)
		if err != nil {
			return err
		}
		h, err := readHeader(b)
		if err != nil {
			return err
		}
		if h.Status == model.ReviewFinalized {
			return model.ErrFinalized
		}
		return tx.Bucket(bucketReviews).DeleteBucket([]byte(period.String()))
	})
	if err != nil {
		return fmt.Errorf("discard review %s: %w", period, err)
	}
	return nil
}

// needsRefresh reports whether an open review nobody has decided on yet
// predates an import: its frozen proposals no longer match the data.
func needsRefresh(tx *bolt.Tx, b *bolt.Bucket, h reviewHeader) bool {
	if h.Status != model.ReviewOpen {
		return false
	}
	if k, _ := b.Bucket(keyDecisions).Cursor().First(); k != nil {
		return false
	}
	stale := false
	_ = tx.Bucket(bucketImports).ForEach(func(_, v []byte) error {
		var rec ImportRecord
		if json.Unmarshal(v, &rec) == nil && rec.At.After(h.StartedAt) {
			stale = true
		}
		return nil
	})
	return stale
}

// reviewHeaders reads every review's period and status, without proposals.
func reviewHeaders(tx *bolt.Tx) ([]*model.Review, error) {
	root := tx.Bucket(bucketReviews)
	if root == nil {
		return nil, nil
	}
	var out []*model.Review
	err := root.ForEachBucket(func(k []byte) error {
		h, err := readHeader(root.Bucket(k))
		if err != nil {
			return fmt.Errorf("review %s: %w", k, err)
		}
		if !h.Starting {
			out = append(out, &model.Review{Period: h.Period, Status: h.Status})
		}
		return nil
	})
	return out, err
}

// UpdateReview runs fn on the part of period's review that concerns
// partner, in one write transaction: the header, the partner's proposal
// (none when the review does not hold it) and its decision. fn decides
// (Accept, Override, Undo on the partner) and the decisions it changed are
// saved; when fn fails nothing is. The other proposals are never read, so
// a decision costs the same in a review of 100 partners or of 100k. Each
// call is its own transaction, so a decision the caller saw confirmed
// survives a crash. It returns the partner's decision as stored: Pending
// when there is none.
func (s *Store) UpdateReview(period model.Period, partner string, fn func(*model.Review) error) (model.Decision, error) {
	var d model.Decision
	err := s.update(func(tx *bolt.Tx) error {
		b, err := reviewBucket(tx, period)
		if err != nil {
			return err
		}
		h, err := readHeader(b)
		if err != nil {
			return err
		}
		r := h.review()
		key := []byte(partner)
		if v := b.Bucket(keyProposals).Get(key); v != nil {
			pr, err := decodeProposal(key, v)
			if err != nil {
				return fmt.Errorf("proposal of %q: %w", partner, err)
			}
			r.Proposals = []model.Proposal{pr}
		}
		decisions := b.Bucket(keyDecisions)
		if v := decisions.Get(key); v != nil {
			var old model.Decision
			if err := json.Unmarshal(v, &old); err != nil {
				return fmt.Errorf("decision on %q: %w", partner, err)
			}
			r.Decisions[partner] = old
		}
		before := maps.Clone(r.Decisions)
		if err := fn(r); err != nil {
			return err
		}
		for id := range before {
			if _, ok := r.Decisions[id]; !ok {
				if err := decisions.Delete([]byte(id)); err != nil {
					return err
				}
			}
		}
		for id, dec := range r.Decisions {
			if old, ok := before[id]; ok && old == dec {
				continue
			}
			if err := putJSON(decisions, []byte(id), cleanDecision(dec)); err != nil {
				return err
			}
		}
		d = cleanDecision(r.Decision(partner))
		return nil
	})
	if err != nil {
		return model.Decision{}, err
	}
	return d, nil
}

// Writes that work out what to write before they take the write lock (a
// review's start and finalize) read in read transactions and write in a
// write transaction that runs only if no other write committed in
// between: bbolt numbers its transactions, and a write transaction's id is
// the last committed one's plus one. Otherwise they begin again on fresh
// data; after readThenWriteTries they run inside one write transaction,
// holding the lock throughout, as a busy store would otherwise never let
// them through.

// errChanged: another write committed between a read and the write
// planned on it.
var errChanged = errors.New("the store changed since it was read")

// beforeWrite, when tests set it, runs between a planned write's reads
// and its write: where another process's write may come.
var beforeWrite func()

// betweenReads, when tests set it, runs between the read transactions of
// a snapshot read in parts.
var betweenReads func()

// readThenWriteTries is how many times a planned write begins again
// before it runs under the write lock throughout.
const readThenWriteTries = 3

// errStarting: a review whose start has not finished, which reads pass
// over as if it were not there.
var errStarting = errors.New("review still starting")

// reviewBucket is period's review; ErrNotFound when there is none, or only
// the beginning of a start cut short.
func reviewBucket(tx *bolt.Tx, period model.Period) (*bolt.Bucket, error) {
	if root := tx.Bucket(bucketReviews); root != nil {
		if b := root.Bucket([]byte(period.String())); b != nil {
			if h, err := readHeader(b); err != nil || !h.Starting {
				return b, nil // a damaged header is the reader's to report
			}
		}
	}
	return nil, fmt.Errorf("no review for %s: %w", period, ErrNotFound)
}

// openReviewBucket finds the review still taking decisions.
func openReviewBucket(tx *bolt.Tx) (*bolt.Bucket, reviewHeader, error) {
	root := tx.Bucket(bucketReviews)
	if root != nil {
		var (
			found *bolt.Bucket
			fh    reviewHeader
		)
		err := root.ForEachBucket(func(k []byte) error {
			if found != nil {
				return nil
			}
			b := root.Bucket(k)
			h, err := readHeader(b)
			if err != nil {
				return fmt.Errorf("review %s: %w", k, err)
			}
			if h.Status == model.ReviewOpen && !h.Starting {
				found, fh = b, h
			}
			return nil
		})
		if err != nil || found != nil {
			return found, fh, err
		}
	}
	return nil, reviewHeader{}, fmt.Errorf("no open review: %w", ErrNotFound)
}

func readHeader(b *bolt.Bucket) (reviewHeader, error) {
	var h reviewHeader
	v := b.Get(keyReview)
	if v == nil {
		return h, fmt.Errorf("no header: %w", errCorrupt)
	}
	if err := json.Unmarshal(v, &h); err != nil {
		return h, err
	}
	return h, nil
}

// maxProposals bounds the proposals a header may claim, so a damaged one
// cannot make a read allocate without end: far more partners than a
// partner program has.
const maxProposals = 1 << 24

// readMode is how much of a review a read returns.
type readMode int

const (
	readNone  readMode = iota // nothing: only how many proposals it holds
	readBrief                 // proposals without their explanations
	readMoves                 // brief, but moves with their explanations
	readFull                  // proposals with their explanations
)

// readReview reads a review with its proposals, in review order, without
// their evidence: one pass over records a few hundred bytes each, then a
// sort. Read in full, proposals share their text (scanRecords); read
// brief, each keeps its own id and name and shares its tiers and kind.
func readReview(b *bolt.Bucket, mode readMode) (*model.Review, error) {
	h, err := readHeader(b)
	if err != nil {
		return nil, err
	}
	r := h.review()
	props := b.Bucket(keyProposals)
	if props == nil || h.Proposals < 0 || h.Proposals > maxProposals {
		return nil, fmt.Errorf("proposals: %w", errCorrupt)
	}
	r.Proposals = make([]model.Proposal, 0, h.Proposals)
	var brief briefer
	err = scanRecords(props, func(d *dec, keyLen int) error {
		if len(r.Proposals) == h.Proposals {
			return fmt.Errorf("proposals: more than %d: %w", h.Proposals, errCorrupt)
		}
		pr, err := decodeProposalDec(d, keyLen)
		if err != nil {
			return fmt.Errorf("proposal of %q: %w", d.s[:keyLen], err)
		}
		switch mode {
		case readBrief:
			pr = brief.of(pr, false)
		case readMoves:
			pr = brief.of(pr, pr.Kind.IsMove())
		}
		r.Proposals = append(r.Proposals, pr)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(r.Proposals) != h.Proposals {
		return nil, fmt.Errorf("proposals: %d of %d: %w", len(r.Proposals), h.Proposals, errCorrupt)
	}
	model.SortProposals(r.Proposals)
	if err := readDecisions(b, r); err != nil {
		return nil, err
	}
	return r, nil
}

func readDecisions(b *bolt.Bucket, r *model.Review) error {
	return b.Bucket(keyDecisions).ForEach(func(k, v []byte) error {
		var d model.Decision
		if err := json.Unmarshal(v, &d); err != nil {
			return fmt.Errorf("decision on %q: %w", k, err)
		}
		r.Decisions[string(k)] = d
		return nil
	})
}

func cleanDecision(d model.Decision) model.Decision {
	d.Reason, d.By = safetext.Clean(d.Reason), safetext.Clean(d.By)
	return d
}

func putJSON(b *bolt.Bucket, k []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(k, data)
}

// productionReader reads partners' production one at a time: asked in
// id order, as a review evaluates, it walks the bucket with one cursor;
// asked out of order, it seeks. A partner with no record has no
// production. The first damaged record is kept in *bad.
func productionReader(tx *bolt.Tx) (read func(id string) model.Series, bad *error, err error) {
	names, err := metricNames(tx)
	if err != nil {
		return nil, nil, err
	}
	var (
		first error
		sb    model.SeriesBuilder
	)
	c := tx.Bucket(bucketProduction).Cursor()
	var k, v []byte
	sought := false
	return func(id string) model.Series {
		key := []byte(id)
		// The first partner asked for may be far into the bucket (a
		// review's later batches): seek to it, then walk.
		if !sought || k == nil || bytes.Compare(k, key) > 0 {
			k, v = c.Seek(key)
			sought = true
		}
		for k != nil && bytes.Compare(k, key) < 0 {
			k, v = c.Next()
		}
		if k == nil || !bytes.Equal(k, key) {
			return model.Series{}
		}
		s, err := decodeSeries(v, names, &sb)
		if err != nil {
			if first == nil {
				first = fmt.Errorf("production of %q: %w", k, err)
			}
			return model.Series{}
		}
		return s
	}, &first, nil
}
