package store

import (
	"encoding/binary"
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
	keyDecisions = []byte("decisions")
)

// reviewHeader is a review without its proposals and decisions.
type reviewHeader struct {
	Period      model.Period       `json:"period"`
	Status      model.ReviewStatus `json:"status"`
	StartedBy   string             `json:"started_by"`
	StartedAt   time.Time          `json:"started_at"`
	FinalizedBy string             `json:"finalized_by,omitempty"`
	FinalizedAt time.Time          `json:"finalized_at,omitzero"`
}

// Reviews reads every review, oldest period first.
func (s *Store) Reviews() ([]*model.Review, error) {
	var out []*model.Review
	err := s.view(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketReviews)
		if root == nil {
			return nil
		}
		return root.ForEachBucket(func(k []byte) error {
			r, err := readReview(root.Bucket(k))
			if err != nil {
				return fmt.Errorf("review %s: %w", k, err)
			}
			out = append(out, r)
			return nil
		})
	})
	return out, err
}

// Review reads the review of a period; ErrNotFound when there is none.
func (s *Store) Review(period model.Period) (*model.Review, error) {
	var r *model.Review
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		r, err = getReview(tx, period)
		return err
	})
	return r, err
}

// OpenReview reads the review still taking decisions; ErrNotFound when
// every review is finalized.
func (s *Store) OpenReview() (*model.Review, error) {
	var r *model.Review
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		r, err = openReview(tx)
		return err
	})
	return r, err
}

// StartOrResumeReview returns the review of period, starting it if there
// is none: every active partner is evaluated on the stored production and
// the proposals are frozen, in one transaction. Only one review is open at
// a time, and only a period that has ended and comes after the last
// finalized review can start (model.CheckReviewPeriod). An open review
// with no decisions yet is evaluated again when data was imported since it
// started, so a review begun too early does not freeze stale proposals.
// Resuming is a read: the write lock is taken only to start or refresh.
func (s *Store) StartOrResumeReview(p *model.Program, period model.Period, by string, at time.Time) (*model.Review, bool, error) {
	var r *model.Review
	err := s.view(func(tx *bolt.Tx) error {
		existing, err := getReview(tx, period)
		if err == nil && !needsRefresh(tx, existing) {
			r = existing
		}
		return err
	})
	if r != nil {
		return r, false, nil
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, false, fmt.Errorf("review %s: %w", period, err)
	}
	started := false
	err = s.update(func(tx *bolt.Tx) error {
		existing, err := getReview(tx, period)
		switch {
		case err == nil && !needsRefresh(tx, existing):
			r = existing
			return errNoChange
		case err == nil:
			if err := tx.Bucket(bucketReviews).DeleteBucket([]byte(period.String())); err != nil {
				return err
			}
		case !errors.Is(err, ErrNotFound):
			return err
		default:
			if open, err := openReview(tx); err == nil {
				return fmt.Errorf("the %s review is still open: finalize or discard it before starting %s", open.Period, period)
			} else if !errors.Is(err, ErrNotFound) {
				return err
			}
			headers, err := reviewHeaders(tx)
			if err != nil {
				return err
			}
			if err := model.CheckReviewPeriod(p, period, at, headers); err != nil {
				return err
			}
		}
		partners, err := readPartners(tx)
		if err != nil {
			return err
		}
		production, err := readAllProduction(tx)
		if err != nil {
			return err
		}
		r = model.StartReview(p, partners, production, period, safetext.Clean(by), at)
		started = true
		return writeReview(tx, r)
	})
	if err != nil {
		return nil, false, fmt.Errorf("review %s: %w", period, err)
	}
	return r, started, nil
}

// DiscardReview deletes an open review and its decisions, so it can be
// started again on current data. A finalized review is history: refused.
func (s *Store) DiscardReview(period model.Period) error {
	err := s.update(func(tx *bolt.Tx) error {
		r, err := getReview(tx, period)
		if err != nil {
			return err
		}
		if r.Status == model.ReviewFinalized {
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
func needsRefresh(tx *bolt.Tx, r *model.Review) bool {
	if r.Status != model.ReviewOpen || len(r.Decisions) > 0 {
		return false
	}
	stale := false
	_ = tx.Bucket(bucketImports).ForEach(func(_, v []byte) error {
		var rec ImportRecord
		if json.Unmarshal(v, &rec) == nil && rec.At.After(r.StartedAt) {
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
		var h reviewHeader
		if err := json.Unmarshal(root.Bucket(k).Get(keyReview), &h); err != nil {
			return fmt.Errorf("review %s: %w", k, err)
		}
		out = append(out, &model.Review{Period: h.Period, Status: h.Status})
		return nil
	})
	return out, err
}

// UpdateReview reads the review of period in one write transaction, runs
// fn on it (Accept, Override, Undo) and saves the decisions fn changed.
// When fn fails nothing is saved. Each call is its own transaction, so a
// decision the caller saw confirmed survives a crash.
func (s *Store) UpdateReview(period model.Period, fn func(*model.Review) error) (*model.Review, error) {
	var r *model.Review
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		if r, err = getReview(tx, period); err != nil {
			return err
		}
		before := maps.Clone(r.Decisions)
		if err := fn(r); err != nil {
			return err
		}
		b := tx.Bucket(bucketReviews).Bucket([]byte(period.String())).Bucket(keyDecisions)
		for id := range before {
			if _, ok := r.Decisions[id]; !ok {
				if err := b.Delete([]byte(id)); err != nil {
					return err
				}
			}
		}
		for id, d := range r.Decisions {
			if old, ok := before[id]; ok && old == d {
				continue
			}
			if err := putJSON(b, []byte(id), cleanDecision(d)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// FinalizeReview applies every decision of the review in one transaction:
// partners' tiers and tier-since dates, one history entry per change, and
// the review's status. With undecided moves it writes nothing and returns
// the review with an error wrapping model.ErrUndecided.
func (s *Store) FinalizeReview(p *model.Program, period model.Period, by string, at time.Time) (*model.Review, []model.History, error) {
	var (
		r       *model.Review
		history []model.History
	)
	err := s.update(func(tx *bolt.Tx) error {
		var err error
		if r, err = getReview(tx, period); err != nil {
			return err
		}
		partners := make(map[string]model.Partner, len(r.Proposals))
		for _, pr := range r.Proposals {
			pa, err := getPartner(tx, pr.Partner)
			if err != nil {
				return err
			}
			partners[pr.Partner] = pa
		}
		changed, hs, err := r.Finalize(p, partners, safetext.Clean(by), at)
		if err != nil {
			return err
		}
		history = hs
		if err := putPartners(tx, changed); err != nil {
			return err
		}
		if err := appendHistory(tx, hs); err != nil {
			return err
		}
		return putJSON(tx.Bucket(bucketReviews).Bucket([]byte(period.String())), keyReview, headerOf(r))
	})
	if err != nil {
		return r, nil, fmt.Errorf("finalize %s: %w", period, err)
	}
	return r, history, nil
}

func getReview(tx *bolt.Tx, period model.Period) (*model.Review, error) {
	root := tx.Bucket(bucketReviews)
	if root == nil {
		return nil, fmt.Errorf("no review for %s: %w", period, ErrNotFound)
	}
	b := root.Bucket([]byte(period.String()))
	if b == nil {
		return nil, fmt.Errorf("no review for %s: %w", period, ErrNotFound)
	}
	return readReview(b)
}

func openReview(tx *bolt.Tx) (*model.Review, error) {
	root := tx.Bucket(bucketReviews)
	if root != nil {
		var found *model.Review
		err := root.ForEachBucket(func(k []byte) error {
			var h reviewHeader
			if err := json.Unmarshal(root.Bucket(k).Get(keyReview), &h); err != nil {
				return fmt.Errorf("review %s: %w", k, err)
			}
			if h.Status == model.ReviewOpen && found == nil {
				r, err := readReview(root.Bucket(k))
				found = r
				return err
			}
			return nil
		})
		if err != nil || found != nil {
			return found, err
		}
	}
	return nil, fmt.Errorf("no open review: %w", ErrNotFound)
}

func readReview(b *bolt.Bucket) (*model.Review, error) {
	var h reviewHeader
	if err := json.Unmarshal(b.Get(keyReview), &h); err != nil {
		return nil, err
	}
	r := &model.Review{Period: h.Period, Status: h.Status, StartedBy: h.StartedBy, StartedAt: h.StartedAt,
		FinalizedBy: h.FinalizedBy, FinalizedAt: h.FinalizedAt, Decisions: map[string]model.Decision{}}
	err := b.Bucket(keyProposals).ForEach(func(_, v []byte) error {
		var pr model.Proposal
		if err := json.Unmarshal(v, &pr); err != nil {
			return err
		}
		r.Proposals = append(r.Proposals, pr)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = b.Bucket(keyDecisions).ForEach(func(k, v []byte) error {
		var d model.Decision
		if err := json.Unmarshal(v, &d); err != nil {
			return err
		}
		r.Decisions[string(k)] = d
		return nil
	})
	return r, err
}

func writeReview(tx *bolt.Tx, r *model.Review) error {
	root, err := tx.CreateBucketIfNotExists(bucketReviews)
	if err != nil {
		return err
	}
	b, err := root.CreateBucket([]byte(r.Period.String()))
	if err != nil {
		return err
	}
	if err := putJSON(b, keyReview, headerOf(r)); err != nil {
		return err
	}
	props, err := b.CreateBucket(keyProposals)
	if err != nil {
		return err
	}
	props.FillPercent = 0.9
	for i, pr := range r.Proposals {
		if err := putJSON(props, binary.BigEndian.AppendUint64(nil, uint64(i)), pr); err != nil {
			return err
		}
	}
	decisions, err := b.CreateBucket(keyDecisions)
	if err != nil {
		return err
	}
	for id, d := range r.Decisions {
		if err := putJSON(decisions, []byte(id), cleanDecision(d)); err != nil {
			return err
		}
	}
	return nil
}

func headerOf(r *model.Review) reviewHeader {
	return reviewHeader{Period: r.Period, Status: r.Status, StartedBy: r.StartedBy, StartedAt: r.StartedAt,
		FinalizedBy: r.FinalizedBy, FinalizedAt: r.FinalizedAt}
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

// readAllProduction decodes every partner's production, by partner id.
func readAllProduction(tx *bolt.Tx) (map[string]model.Series, error) {
	names, err := metricNames(tx)
	if err != nil {
		return nil, err
	}
	out := map[string]model.Series{}
	var b model.SeriesBuilder
	err = tx.Bucket(bucketProduction).ForEach(func(k, v []byte) error {
		s, err := decodeSeries(v, names, &b)
		if err != nil {
			return fmt.Errorf("production of %q: %w", k, err)
		}
		out[string(k)] = s
		return nil
	})
	return out, err
}
