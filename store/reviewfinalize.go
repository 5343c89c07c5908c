package store

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/safetext"
)

// Finalizing a review looks at every proposal and its partner as stored
// now: at 100k partners, read whole, some 40 MB of heap and as much of the
// file mapped at once. So, like a start (reviewstart.go), a finalize reads
// the proposals a batch per read transaction, each at the same transaction
// id, keeping only what changes (model.Finalizer), and writes in one
// transaction whose id follows on: all or nothing, on the store of one
// moment. Another write in between makes it begin again; a store that
// keeps changing gets it under the write lock throughout.

// FinalizeReview applies every decision of the review in one transaction:
// partners' tiers and tier-since dates, one history entry per change, and
// the review's status. With undecided moves or tiers changed since the
// start it writes nothing and returns the review with an error wrapping
// model.ErrUndecided or model.ErrStale. The review it returns is read
// after the write, its holds without their explanations.
func (s *Store) FinalizeReview(p *model.Program, period model.Period, by string, at time.Time) (*model.Review, []model.History, error) {
	return s.finalize(p, period, by, at, readMoves)
}

// FinalizeReview is Store.FinalizeReview, except that the review it
// returns when it finalizes is the header and decisions alone: the app
// holds the proposals already. The review returned with an error is read
// brief.
func (b Brief) FinalizeReview(p *model.Program, period model.Period, by string, at time.Time) (*model.Review, []model.History, error) {
	return b.finalize(p, period, by, at, readNone)
}

func (s *Store) finalize(p *model.Program, period model.Period, by string, at time.Time, mode readMode) (*model.Review, []model.History, error) {
	by = safetext.Clean(by)
	run := func() *reviewFinalize {
		return &reviewFinalize{p: p, period: period, by: by, at: at, batch: cmp.Or(s.startBatch, defaultStartBatch), mode: mode}
	}
	var (
		fin *reviewFinalize
		err error
	)
	for range readThenWriteTries {
		fin = run()
		if err = s.tryFinalize(fin); !errors.Is(err, errChanged) {
			break
		}
	}
	if errors.Is(err, errChanged) {
		fin = run()
		err = s.update(func(tx *bolt.Tx) error {
			if err := fin.begin(tx); err != nil {
				return err
			}
			for !fin.done {
				if err := fin.read(tx); err != nil {
					return err
				}
			}
			if err := fin.finish(); err != nil {
				return err
			}
			return fin.write(tx)
		})
	}
	if err != nil {
		var r *model.Review
		if errors.Is(err, model.ErrUndecided) || errors.Is(err, model.ErrStale) {
			// What the caller lists: the review as it stands, brief for
			// the app.
			r, _ = s.review(period, max(mode, readBrief))
		}
		return r, nil, fmt.Errorf("finalize %s: %w", period, err)
	}
	if mode == readNone {
		return fin.r, fin.history, nil
	}
	return fin.result, fin.history, nil
}

// tryFinalize is one attempt at a finalize in batches; errChanged when
// another write came between two of its transactions.
func (s *Store) tryFinalize(fin *reviewFinalize) error {
	var read Version // the state every read must see
	err := s.view(func(tx *bolt.Tx) (err error) {
		if read, err = s.versionOf(tx); err != nil {
			return err
		}
		if err := fin.begin(tx); err != nil {
			return err
		}
		return fin.read(tx)
	})
	for err == nil && !fin.done {
		err = s.view(func(tx *bolt.Tx) error {
			if v, err := s.versionOf(tx); err != nil || !v.Same(read) {
				return cmp.Or(err, errChanged)
			}
			return fin.read(tx)
		})
	}
	if err == nil {
		err = fin.finish()
	}
	if err != nil {
		return err
	}
	if beforeWrite != nil {
		beforeWrite()
	}
	return s.update(func(tx *bolt.Tx) error {
		// The next transaction on the same file, unchanged since read.
		v, err := s.versionOf(tx)
		if err != nil {
			return err
		}
		if v.tx != read.tx+1 || !v.sameFile(read) {
			return errChanged
		}
		return fin.write(tx)
	})
}

// reviewFinalize is a review being finalized: where the reading has got
// to and what is to change.
type reviewFinalize struct {
	p      *model.Program
	period model.Period
	by     string
	at     time.Time
	batch  int

	header  reviewHeader
	r       *model.Review // the header and decisions; no proposals
	f       *model.Finalizer
	mode    readMode // how to read the review returned
	next    []byte   // the partner id the next batch begins at
	done    bool     // every proposal is read
	count   int      // proposals read so far
	changed []model.Partner
	history []model.History
	result  *model.Review // read as mode says, in the write transaction
}

// begin reads the review's header and decisions.
func (fin *reviewFinalize) begin(tx *bolt.Tx) error {
	b, err := reviewBucket(tx, fin.period)
	if err != nil {
		return err
	}
	if fin.header, err = readHeader(b); err != nil {
		return err
	}
	fin.r = fin.header.review()
	if err := readDecisions(b, fin.r); err != nil {
		return err
	}
	fin.f, err = fin.r.Finalizer(fin.p, fin.by, fin.at)
	return err
}

// read hands the next batch of proposals, with their partners as stored,
// to the finalizer. Proposals and partners are both keyed by partner id:
// one cursor walks each.
func (fin *reviewFinalize) read(tx *bolt.Tx) error {
	b, err := reviewBucket(tx, fin.period)
	if err != nil {
		return err
	}
	props := b.Bucket(keyProposals)
	if props == nil {
		return fmt.Errorf("proposals: %w", errCorrupt)
	}
	c := props.Cursor()
	k, v := c.First()
	if fin.next != nil {
		k, v = c.Seek(fin.next)
	}
	partner, bad := partnerReader(tx)
	for n := 0; k != nil && n < fin.batch; k, v = c.Next() {
		pr, err := decodeProposal(k, v)
		if err != nil {
			return fmt.Errorf("proposal of %q: %w", k, err)
		}
		pa, found := partner(pr.Partner)
		if *bad != nil {
			return *bad
		}
		fin.f.Add(pr, pa, found)
		n++
		fin.count++
	}
	fin.next, fin.done = bytes.Clone(k), k == nil
	return nil
}

// finish works out what changes once every proposal is read, or why
// nothing may (model.ErrUndecided, model.ErrStale).
func (fin *reviewFinalize) finish() (err error) {
	if fin.count != fin.header.Proposals {
		// A damaged review: finalizing what is left would drop moves.
		return fmt.Errorf("proposals: %d of %d: %w", fin.count, fin.header.Proposals, errCorrupt)
	}
	fin.changed, fin.history, err = fin.f.Done()
	return err
}

// write applies the changes and marks the review finalized.
func (fin *reviewFinalize) write(tx *bolt.Tx) error {
	if err := putPartners(tx, fin.changed); err != nil {
		return err
	}
	if err := appendHistory(tx, fin.history); err != nil {
		return err
	}
	h := fin.header
	h.Status, h.FinalizedBy, h.FinalizedAt = fin.r.Status, fin.r.FinalizedBy, fin.r.FinalizedAt
	b, err := reviewBucket(tx, fin.period)
	if err != nil {
		return err
	}
	if err := putJSON(b, keyReview, h); err != nil {
		return err
	}
	if fin.mode != readNone {
		// Read here, not after the commit: a finalize that went through
		// must not report a later read's failure.
		fin.result, err = readReview(b, fin.mode)
	}
	return err
}

// partnerReader looks partners up in tx by id, one at a time, with one
// cursor (a Get makes one each): asked in id order, it seeks forward. The
// first damaged record is kept in *bad.
func partnerReader(tx *bolt.Tx) (func(id string) (model.Partner, bool), *error) {
	var (
		first   error
		scratch []byte
	)
	c := tx.Bucket(bucketPartners).Cursor()
	return func(id string) (model.Partner, bool) {
		key := []byte(id)
		k, v := c.Seek(key)
		if !bytes.Equal(k, key) {
			return model.Partner{}, false
		}
		pa, err := decodePartnerKV(key, v, &scratch)
		if err != nil {
			if first == nil {
				first = fmt.Errorf("partner %q: %w", id, err)
			}
			return model.Partner{}, false
		}
		return pa, true
	}, &first
}
