package store

import (
	"bytes"
	"fmt"
	"math"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
)

// The deals of CRM exports are kept by id, so that a deal in two exports
// (or imported again after it changed) counts once: a partner's deal
// metrics are always the aggregate of the deals stored for it.
//
// deals holds two buckets:
//   - "id": deal id → the id of the partner it counts for;
//   - "partner": partner id + 0x00 + deal id → encoded deal (encodeDeal),
//     so one partner's deals are one prefix scan.
//
// The bucket is created by the first deals import, inside its transaction.
var (
	bucketDeals       = []byte("deals")
	bucketDealIDs     = []byte("id")
	bucketDealsOfPart = []byte("partner")
)

// dealMetrics are the metrics a deals export sets; the rows shape sets
// the others (certified reps, joint customers, ...).
var dealMetrics = []string{
	model.MetricSourcedPipeline,
	model.MetricSourcedRevenue,
	model.MetricInfluencedRevenue,
	model.MetricRegisteredDeals,
	model.MetricWinRate,
}

// dealStore is the deals bucket inside a write transaction.
type dealStore struct {
	ids, byPartner *bolt.Bucket
	// moved holds the id entries to write, deal id → partner: written at
	// the end in key order, as a bbolt node takes thousands of puts in
	// order in linear time and out of order in quadratic time.
	moved map[string]string
}

func openDealStore(tx *bolt.Tx) (dealStore, error) {
	root, err := tx.CreateBucketIfNotExists(bucketDeals)
	if err != nil {
		return dealStore{}, fmt.Errorf("deals bucket: %w", err)
	}
	ids, err := root.CreateBucketIfNotExists(bucketDealIDs)
	if err != nil {
		return dealStore{}, fmt.Errorf("deals bucket: %w", err)
	}
	byPartner, err := root.CreateBucketIfNotExists(bucketDealsOfPart)
	if err != nil {
		return dealStore{}, fmt.Errorf("deals bucket: %w", err)
	}
	byPartner.FillPercent = 0.9 // written in sorted batches, as production is
	return dealStore{ids: ids, byPartner: byPartner, moved: map[string]string{}}, nil
}

// partnerOf is the partner deal id counts for, "" for a deal not stored.
// It reads the store as it was before this import's puts.
func (ds dealStore) partnerOf(id string) string {
	return string(ds.ids.Get([]byte(id))) // string() copies out of the transaction
}

// deals reads the deals stored for partner, by deal id.
func (ds dealStore) deals(partner string) (map[string]model.Deal, error) {
	out := map[string]model.Deal{}
	prefix := dealKey(partner, "")
	c := ds.byPartner.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		id := string(k[len(prefix):])
		d, err := decodeDeal(v)
		if err != nil {
			return nil, fmt.Errorf("deal %q of %q: %w", id, partner, err)
		}
		d.ID, d.Partner = id, partner
		out[id] = d
	}
	return out, nil
}

// put stores d for d.Partner, replacing what was stored under its id; an
// unchanged record is not written again.
func (ds dealStore) put(d *model.Deal) error {
	key, v := dealKey(d.Partner, d.ID), encodeDeal(d)
	if !bytes.Equal(ds.byPartner.Get(key), v) {
		if err := ds.byPartner.Put(key, v); err != nil {
			return fmt.Errorf("deal %q: %w", d.ID, err)
		}
	}
	if !bytes.Equal(ds.ids.Get([]byte(d.ID)), []byte(d.Partner)) {
		ds.moved[d.ID] = d.Partner
	}
	return nil
}

// flush writes the id entries put gathered.
func (ds dealStore) flush() error {
	ids := make([]string, 0, len(ds.moved))
	for id := range ds.moved {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		var err error
		if partner := ds.moved[id]; partner == "" {
			err = ds.ids.Delete([]byte(id)) // it became a direct deal
		} else {
			err = ds.ids.Put([]byte(id), []byte(partner))
		}
		if err != nil {
			return fmt.Errorf("deal %q: %w", id, err)
		}
	}
	return nil
}

// forget marks deal id as no partner's any more (a direct deal now): its
// id entry goes at flush; remove drops its record.
func (ds dealStore) forget(id string) { ds.moved[id] = "" }

// remove drops deal id from partner's deals; put gives its id entry to
// the partner it moved to.
func (ds dealStore) remove(partner, id string) error {
	if err := ds.byPartner.Delete(dealKey(partner, id)); err != nil {
		return fmt.Errorf("deal %q: %w", id, err)
	}
	return nil
}

func dealKey(partner, id string) []byte {
	k := make([]byte, 0, len(partner)+1+len(id))
	return append(append(append(k, partner...), 0), id...)
}

// Deal record: format, amount in cents, stage (0 open, 1 won, 2 lost),
// created, closed, registered, flags (1: sourced). The key holds the
// partner and the id.
func encodeDeal(d *model.Deal) []byte {
	e := enc{b: make([]byte, 0, 24)}
	e.byte(recordV1)
	e.varint(int64(math.Round(d.Amount * 100)))
	switch d.Stage {
	case model.StageWon:
		e.byte(1)
	case model.StageLost:
		e.byte(2)
	default:
		e.byte(0)
	}
	e.time(d.Created)
	e.time(d.Closed)
	e.time(d.Registered)
	var flags byte
	if d.Sourced {
		flags |= 1
	}
	e.byte(flags)
	return e.b
}

func decodeDeal(v []byte) (model.Deal, error) {
	d := dec{b: v}
	if d.byte() != recordV1 {
		return model.Deal{}, errCorrupt
	}
	var out model.Deal
	out.Amount = float64(d.varint()) / 100
	switch d.byte() {
	case 0:
		out.Stage = model.StageOpen
	case 1:
		out.Stage = model.StageWon
	case 2:
		out.Stage = model.StageLost
	default:
		return model.Deal{}, errCorrupt
	}
	out.Created, out.Closed, out.Registered = d.time(), d.time(), d.time()
	out.Sourced = d.byte()&1 != 0
	if d.bad {
		return model.Deal{}, errCorrupt
	}
	return out, nil
}
