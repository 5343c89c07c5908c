package store

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/safetext"
)

// Starting a review evaluates every active partner and writes a proposal
// and its evidence for each: some 40 MB of records at 100k partners. In one
// transaction bbolt holds every record, and a copy of every page it
// writes, until the commit: about 150 MB more than the store's reader
// already holds. So a start writes in batches of partners, each its own
// transaction, under a header marked starting, and the last batch marks
// the review open. A start cut short (a kill, a full disk) leaves a review
// every read passes over and the next start deletes.
//
// Each batch is evaluated in a read transaction and written in a write
// transaction whose id follows on from it, and the next batch is read in a
// transaction that sees nothing newer than that write: the review is the
// store as of one moment. When another write comes in between, the start
// begins again; a store that keeps changing gets the start under the write
// lock throughout (see errChanged).

// defaultStartBatch is how many partners a start evaluates and writes per
// transaction: a few megabytes of records.
const defaultStartBatch = 5000

// reviewStart is a review being started: where it has got to and what its
// header will say.
type reviewStart struct {
	p      *model.Program
	period model.Period
	by     string
	at     time.Time
	batch  int
	read   readMode // how much of a review found there check returns

	// Worked out by check, before the first batch.
	since model.Period // where the evidence of misses begins (model.Propose)
	clear [][]byte     // review buckets the first write deletes

	wrote   bool   // the first batch is written: the review's bucket exists
	next    []byte // the partner id the next batch begins at
	done    bool   // every partner is evaluated
	strs    stringTable
	summary model.ReviewSummary
	n       int // proposals evaluated so far

	// The batch evaluated and not yet written, each sorted by key.
	proposals, evidence []record
}

// startReview starts period's review, or finds it there: the review as
// read says (nil for readNone), how many proposals it holds, and whether
// it started now.
func (s *Store) startReview(p *model.Program, period model.Period, by string, at time.Time, read readMode) (*model.Review, int, bool, error) {
	by = safetext.Clean(by)
	for range readThenWriteTries {
		st := &reviewStart{p: p, period: period, by: by, at: at, batch: cmp.Or(s.startBatch, defaultStartBatch), read: read}
		r, n, started, err := s.tryStart(st)
		if !errors.Is(err, errChanged) {
			return r, n, started, err
		}
	}
	st := &reviewStart{p: p, period: period, by: by, at: at, batch: cmp.Or(s.startBatch, defaultStartBatch), read: read}
	var (
		r       *model.Review
		n       int
		started bool
	)
	err := s.update(func(tx *bolt.Tx) error {
		resumed, count, start, err := st.check(tx)
		if err != nil || !start {
			r, n = resumed, count
			if err == nil {
				err = errNoChange
			}
			return err
		}
		for !st.done {
			if err := st.evaluate(tx); err != nil {
				return err
			}
			if err := st.write(tx); err != nil {
				return err
			}
		}
		started = true
		return nil
	})
	if err != nil || !started {
		return r, n, false, err
	}
	return s.startedReview(st)
}

// tryStart is one attempt at a start in batches; errChanged when another
// write came between two of its transactions.
func (s *Store) tryStart(st *reviewStart) (*model.Review, int, bool, error) {
	var (
		last      int // the id of the last transaction the start ran
		resumed   *model.Review
		proposals int
		start     bool
	)
	err := s.view(func(tx *bolt.Tx) error {
		last = tx.ID()
		var err error
		if resumed, proposals, start, err = st.check(tx); err != nil || !start {
			return err
		}
		return st.evaluate(tx)
	})
	if err != nil || !start {
		return resumed, proposals, false, err
	}
	for {
		if beforeWrite != nil {
			beforeWrite()
		}
		err = s.update(func(tx *bolt.Tx) error {
			if tx.ID() != last+1 {
				return errChanged
			}
			last = tx.ID()
			return st.write(tx)
		})
		if err != nil || st.done {
			break
		}
		err = s.view(func(tx *bolt.Tx) error {
			if tx.ID() != last {
				return errChanged
			}
			return st.evaluate(tx)
		})
		if err != nil {
			break
		}
	}
	if err != nil {
		if st.wrote && !errors.Is(err, errChanged) {
			s.dropStart(st)
		}
		return nil, 0, false, err
	}
	return s.startedReview(st)
}

// startedReview is what a start that went through returns.
func (s *Store) startedReview(st *reviewStart) (*model.Review, int, bool, error) {
	if st.read == readNone {
		return nil, st.n, true, nil
	}
	var r *model.Review
	err := s.view(func(tx *bolt.Tx) error {
		b, err := reviewBucket(tx, st.period)
		if err != nil {
			return err
		}
		r, err = readReview(b, st.read)
		return err
	})
	if err != nil {
		return nil, 0, false, err
	}
	return r, len(r.Proposals), true, nil
}

// dropStart deletes what a failed start wrote, if it is still there and
// still this start's: the next start would, but a full disk wants the room
// back now. It is best effort: a start that cannot tidy up is still passed
// over by every read.
func (s *Store) dropStart(st *reviewStart) {
	_ = s.update(func(tx *bolt.Tx) error {
		root := tx.Bucket(bucketReviews)
		if root == nil {
			return errNoChange
		}
		name := []byte(st.period.String())
		b := root.Bucket(name)
		if b == nil {
			return errNoChange
		}
		h, err := readHeader(b)
		if err != nil || !h.Starting || !h.StartedAt.Equal(st.at) || h.StartedBy != st.by {
			return errNoChange
		}
		return root.DeleteBucket(name)
	})
}

// check works out in tx whether period's review is to start: if it is
// there and current, it is resumed instead (read as st.read says). It
// refuses a period that cannot start now.
func (st *reviewStart) check(tx *bolt.Tx) (*model.Review, int, bool, error) {
	st.clear = startingReviews(tx)
	b, err := reviewBucket(tx, st.period)
	switch {
	case err == nil:
		h, err := readHeader(b)
		if err != nil {
			return nil, 0, false, err
		}
		if !needsRefresh(tx, b, h) {
			if st.read == readNone {
				return nil, h.Proposals, false, nil
			}
			r, err := readReview(b, st.read)
			if err != nil {
				return nil, 0, false, err
			}
			return r, len(r.Proposals), false, nil
		}
		st.clear = append(st.clear, []byte(st.period.String()))
	case !errors.Is(err, ErrNotFound):
		return nil, 0, false, err
	default:
		if _, open, err := openReviewBucket(tx); err == nil {
			return nil, 0, false, fmt.Errorf("the %s review is still open: finalize or discard it before starting %s", open.Period, st.period)
		} else if !errors.Is(err, ErrNotFound) {
			return nil, 0, false, err
		}
		headers, err := reviewHeaders(tx)
		if err != nil {
			return nil, 0, false, err
		}
		history, err := readHistory(tx)
		if err != nil {
			return nil, 0, false, err
		}
		if err := model.CheckReviewPeriod(st.p, st.period, st.at, headers, history); err != nil {
			return nil, 0, false, err
		}
	}
	periods, err := readPeriods(tx)
	if err != nil {
		return nil, 0, false, err
	}
	for _, q := range periods { // oldest first, perhaps of another cadence
		if q.Cad == st.p.Cadence {
			st.since = q
			break
		}
	}
	return nil, 0, true, nil
}

// startingReviews names the review buckets of starts cut short.
func startingReviews(tx *bolt.Tx) [][]byte {
	root := tx.Bucket(bucketReviews)
	if root == nil {
		return nil
	}
	var out [][]byte
	_ = root.ForEachBucket(func(k []byte) error {
		if h, err := readHeader(root.Bucket(k)); err == nil && h.Starting {
			out = append(out, bytes.Clone(k))
		}
		return nil
	})
	return out
}

// evaluate proposes for the next batch of active partners, in id order,
// and encodes each proposal and its evidence; production is read partner
// by partner along with them.
func (st *reviewStart) evaluate(tx *bolt.Tx) error {
	production, bad, err := productionReader(tx)
	if err != nil {
		return err
	}
	st.proposals, st.evidence = st.proposals[:0], st.evidence[:0]
	c := tx.Bucket(bucketPartners).Cursor()
	k, v := c.First()
	if st.next != nil {
		k, v = c.Seek(st.next)
	}
	var scratch []byte
	for ; k != nil && len(st.proposals) < st.batch; k, v = c.Next() {
		d := copyKV(k, v, &scratch)
		pa, err := decodePartnerDec(&d, len(k))
		if err != nil {
			return fmt.Errorf("partner %q: %w", k, err)
		}
		if !pa.Active() {
			continue
		}
		pr := model.Propose(st.p, &pa, production(pa.ID), st.period, st.since)
		st.summary.Count(st.p, pr, model.Decision{}, false)
		st.evidence = append(st.evidence, record{[]byte(pa.ID), encodeEvaluation(pr.Evaluation, &st.strs)})
		st.proposals = append(st.proposals, record{[]byte(pa.ID), encodeProposal(&pr)})
		st.n++
	}
	st.next, st.done = bytes.Clone(k), k == nil
	return *bad
}

// write writes the batch evaluated: the first creates the review, marked
// starting, in place of the buckets check found to clear; the last writes
// the header that opens it.
func (st *reviewStart) write(tx *bolt.Tx) error {
	root, err := tx.CreateBucketIfNotExists(bucketReviews)
	if err != nil {
		return err
	}
	name := []byte(st.period.String())
	var b *bolt.Bucket
	if !st.wrote {
		for _, k := range st.clear {
			if err := root.DeleteBucket(k); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
				return err
			}
		}
		if b, err = root.CreateBucket(name); err != nil {
			return err
		}
		for _, sub := range [][]byte{keyProposals, keyEvidence, keyDecisions} {
			if _, err := b.CreateBucket(sub); err != nil {
				return err
			}
		}
	} else if b = root.Bucket(name); b == nil {
		return fmt.Errorf("the review being started is gone: %w", errChanged)
	}
	if err := putRecords(b.Bucket(keyProposals), st.proposals); err != nil {
		return err
	}
	if err := putRecords(b.Bucket(keyEvidence), st.evidence); err != nil {
		return err
	}
	if st.wrote && !st.done {
		return nil
	}
	st.wrote = true
	h := reviewHeader{Period: st.period, Status: model.ReviewOpen, StartedBy: st.by, StartedAt: st.at, Proposals: st.n, Starting: !st.done}
	if st.done {
		s := st.summary
		h.Base = reviewCounts{Kinds: s.Kinds, Before: s.Before, After: s.After, Moves: s.Undecided, Promotions: s.Promotions, Demotions: s.Demotions}
		h.Strings = st.strs.list
	}
	return putJSON(b, keyReview, h)
}
