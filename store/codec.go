package store

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
)

// Records are encoded in a small binary format rather than JSON: a store
// of 100k partners must load in well under a second and in little memory.
// Each record starts with a format byte so a later version can change it.
// Decoding copies a record out of the transaction once, as one string, and
// every text field is a slice of that string: one allocation per record.
const recordV1 = 1

var errCorrupt = errors.New("corrupt record")

type enc struct{ b []byte }

func (e *enc) byte(c byte)      { e.b = append(e.b, c) }
func (e *enc) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *enc) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }

func (e *enc) str(s string) {
	e.uvarint(uint64(len(s)))
	e.b = append(e.b, s...)
}

// time stores the zero time, a date (midnight UTC) as days, or an instant.
func (e *enc) time(t time.Time) {
	if t.IsZero() {
		e.byte(0)
		return
	}
	u := t.UTC()
	if sec := u.Unix(); sec%86400 == 0 && u.Nanosecond() == 0 {
		e.byte(1)
		e.varint(sec / 86400)
		return
	}
	e.byte(2)
	e.varint(u.Unix())
	e.uvarint(uint64(u.Nanosecond()))
}

// period stores the zero Period as one zero byte.
func (e *enc) period(p model.Period) {
	if p.IsZero() {
		e.byte(0)
		return
	}
	c := byte(0)
	if p.Cad == model.HalfYearly {
		c = 1
	}
	e.byte(c<<4 | byte(p.Index)&0x0f)
	e.varint(int64(p.Year))
}

// dec reads a record. Numbers are read from b; text fields are slices of
// s, a string copy of b, when there is one (so a record costs one
// allocation), and fresh strings otherwise. A short or malformed record
// sets bad and yields zero values.
type dec struct {
	b   []byte
	s   string
	i   int
	bad bool
}

func (d *dec) byte() byte {
	if d.i >= len(d.b) {
		d.bad = true
		return 0
	}
	c := d.b[d.i]
	d.i++
	return c
}

func (d *dec) uvarint() uint64 {
	v, n := binary.Uvarint(d.b[min(d.i, len(d.b)):])
	if n <= 0 {
		d.bad = true
		return 0
	}
	d.i += n
	return v
}

func (d *dec) varint() int64 {
	ux := d.uvarint()
	x := int64(ux >> 1)
	if ux&1 != 0 {
		x = ^x
	}
	return x
}

// count reads a length that cannot exceed what is left of the record.
func (d *dec) count() int {
	n := d.uvarint()
	if n > uint64(len(d.b)-d.i) {
		d.bad = true
		return 0
	}
	return int(n)
}

func (d *dec) str() string {
	n := d.count()
	var s string
	if len(d.s) == len(d.b) {
		s = d.s[d.i : d.i+n]
	} else {
		s = string(d.b[d.i : d.i+n])
	}
	d.i += n
	return s
}

func (d *dec) f64() float64 {
	if len(d.b)-d.i < 8 {
		d.bad = true
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(d.b[d.i:]))
	d.i += 8
	return v
}

func (d *dec) time() time.Time {
	switch d.byte() {
	case 0:
		return time.Time{}
	case 1:
		return time.Unix(d.varint()*86400, 0).UTC()
	case 2:
		sec := d.varint()
		return time.Unix(sec, int64(d.uvarint())).UTC()
	}
	d.bad = true
	return time.Time{}
}

func (d *dec) period() model.Period {
	b := d.byte()
	if b == 0 {
		return model.Period{}
	}
	cad, last := model.Quarterly, 4
	switch b >> 4 {
	case 0:
	case 1:
		cad, last = model.HalfYearly, 2
	default:
		d.bad = true
		return model.Period{}
	}
	// A period that could not have been written (quarter 0, half 3) is a
	// damaged record, not a period to show as "2026-Q0".
	p := model.Period{Year: int(d.varint()), Index: int(b & 0x0f), Cad: cad}
	if p.Index < 1 || p.Index > last {
		d.bad = true
		return model.Period{}
	}
	return p
}

// scanRecords walks a bucket and calls decode for every record with a
// decoder positioned at the value and the key's length. Records are
// copied out of the transaction a megabyte at a time, each megabyte as one
// string that the decoded text fields share: a hundred thousand partners
// cost a hundred allocations, not a hundred thousand.
func scanRecords(b *bolt.Bucket, decode func(d *dec, keyLen int) error) error {
	const chunk = 1 << 20
	type rec struct{ start, keyLen, end int }
	buf := make([]byte, 0, chunk+chunk/8)
	recs := make([]rec, 0, 8192)
	flush := func() error {
		s := string(buf)
		var d dec // one, reused: a dec per record would escape to the heap
		for _, r := range recs {
			d = dec{b: buf[r.start:r.end], s: s[r.start:r.end], i: r.keyLen}
			if err := decode(&d, r.keyLen); err != nil {
				return err
			}
		}
		buf, recs = buf[:0], recs[:0]
		return nil
	}
	err := b.ForEach(func(k, v []byte) error {
		start := len(buf)
		buf = append(append(buf, k...), v...)
		recs = append(recs, rec{start, len(k), len(buf)})
		if len(buf) >= chunk {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// copyKV copies a key and a value out of a transaction as one string and
// returns a decoder positioned at the value. The decoder reads numbers
// from scratch, which the next call reuses.
func copyKV(k, v []byte, scratch *[]byte) dec {
	b := append(append((*scratch)[:0], k...), v...)
	*scratch = b
	return dec{b: b, s: string(b), i: len(k)}
}

// Partner record: format, name, #aliases, #domains, aliases..., domains...,
// track, manager, tier, tier since, joined, flags (1: exited). The key is
// the id. Name, aliases and domains come first so a names-only read
// (NameEntries) stops early.
func encodePartner(p *model.Partner) []byte {
	e := enc{b: make([]byte, 0, 32+len(p.Name)+len(p.Track)+len(p.Manager)+len(p.Tier)+16*(len(p.Aliases)+len(p.Domains)))}
	e.byte(recordV1)
	e.str(p.Name)
	e.uvarint(uint64(len(p.Aliases)))
	e.uvarint(uint64(len(p.Domains)))
	for _, a := range p.Aliases {
		e.str(a)
	}
	for _, d := range p.Domains {
		e.str(d)
	}
	e.str(p.Track)
	e.str(p.Manager)
	e.str(p.Tier)
	e.time(p.TierSince)
	e.time(p.Joined)
	var flags byte
	if p.Exited {
		flags |= 1
	}
	e.byte(flags)
	return e.b
}

// decodeNames reads the name, aliases and domains of a partner record.
// Aliases and domains share one backing array, each capped at its length.
func decodeNames(d *dec) (name string, aliases, domains []string) {
	if d.byte() != recordV1 {
		d.bad = true
		return
	}
	name = d.str()
	na, nd := d.count(), d.count()
	if d.bad || na+nd > len(d.b)-d.i {
		d.bad = true
		return
	}
	if na+nd > 0 {
		all := make([]string, na+nd)
		for i := range all {
			all[i] = d.str()
		}
		if na > 0 {
			aliases = all[:na:na]
		}
		if nd > 0 {
			domains = all[na:]
		}
	}
	return
}

// decodePartner decodes a partner record stored under id.
func decodePartner(id string, v []byte) (model.Partner, error) {
	var scratch []byte
	return decodePartnerKV([]byte(id), v, &scratch)
}

// decodePartnerKV decodes a partner from a key and value still inside a
// transaction, copying them out as one string.
func decodePartnerKV(k, v []byte, scratch *[]byte) (model.Partner, error) {
	d := copyKV(k, v, scratch)
	return decodePartnerDec(&d, len(k))
}

// decodePartnerDec decodes a partner whose key is the first keyLen bytes
// of d and whose value follows.
func decodePartnerDec(d *dec, keyLen int) (model.Partner, error) {
	var p model.Partner
	p.ID = d.s[:keyLen]
	p.Name, p.Aliases, p.Domains = decodeNames(d)
	p.Track = d.str()
	p.Manager = d.str()
	p.Tier = d.str()
	p.TierSince = d.time()
	p.Joined = d.time()
	p.Exited = d.byte()&1 != 0
	if d.bad {
		return model.Partner{}, errCorrupt
	}
	return p, nil
}

// decodeNameEntry reads only what a lookup needs.
func decodeNameEntry(k, v []byte, scratch *[]byte) (model.NameEntry, error) {
	d := copyKV(k, v, scratch)
	return decodeNameEntryDec(&d, len(k))
}

func decodeNameEntryDec(d *dec, keyLen int) (model.NameEntry, error) {
	e := model.NameEntry{ID: d.s[:keyLen]}
	e.Name, e.Aliases, e.Domains = decodeNames(d)
	d.str() // track
	d.str() // manager
	d.str() // tier
	d.time()
	d.time()
	e.Exited = d.byte()&1 != 0
	if d.bad {
		return model.NameEntry{}, errCorrupt
	}
	return e, nil
}

// Production record: format, #periods, then per period (oldest first) the
// period, #values and each value as uvarint(metric number<<1 | kind)
// followed by a zig-zag varint (kind 0, whole numbers) or 8 bytes of
// float64 (kind 1). Metric numbers come from the metrics bucket.
func encodeSeries(s seriesValues, ids map[string]uint64) []byte {
	periods := make([]model.Period, 0, len(s))
	for p := range s {
		periods = append(periods, p)
	}
	slices.SortFunc(periods, comparePeriods)
	e := enc{b: make([]byte, 0, 8+len(s)*40)}
	e.byte(recordV1)
	e.uvarint(uint64(len(periods)))
	type kv struct {
		id uint64
		v  float64
	}
	var vals []kv
	for _, p := range periods {
		e.period(p)
		vals = vals[:0]
		for k, v := range s[p] {
			vals = append(vals, kv{ids[k], v})
		}
		slices.SortFunc(vals, func(a, b kv) int { return int(a.id) - int(b.id) })
		e.uvarint(uint64(len(vals)))
		for _, x := range vals {
			if x.v == math.Trunc(x.v) && math.Abs(x.v) < 1<<53 {
				e.uvarint(x.id << 1)
				e.varint(int64(x.v))
				continue
			}
			e.uvarint(x.id<<1 | 1)
			e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(x.v))
		}
	}
	return e.b
}

// decodeSeries reads a production record with b; names maps metric
// numbers to keys (and makes every partner's keys share the same strings).
// Decoding many records with one builder lets their series share periods,
// keys and allocations.
func decodeSeries(v []byte, names []string, b *model.SeriesBuilder) (model.Series, error) {
	d := dec{b: v}
	if d.byte() != recordV1 {
		return model.Series{}, errCorrupt
	}
	np := d.count()
	for range np {
		p := d.period()
		nv := d.count()
		if d.bad || p.IsZero() { // production is always of a period
			b.Reset()
			return model.Series{}, errCorrupt
		}
		b.Period(p)
		for range nv {
			tag := d.uvarint()
			id := tag >> 1
			var x float64
			if tag&1 == 0 {
				x = float64(d.varint())
			} else {
				x = d.f64()
			}
			if d.bad || id >= uint64(len(names)) || names[id] == "" {
				b.Reset()
				return model.Series{}, errCorrupt
			}
			b.Value(names[id], x)
		}
	}
	if d.bad {
		b.Reset()
		return model.Series{}, errCorrupt
	}
	return b.Series(), nil
}

// seriesValues is a partner's production as the merger changes it: values
// by period and metric key.
type seriesValues = map[model.Period]map[string]float64

// seriesPeriods lists the periods of a production record without
// decoding its values.
func seriesPeriods(v []byte) ([]model.Period, error) {
	d := dec{b: v}
	if d.byte() != recordV1 {
		return nil, errCorrupt
	}
	out := make([]model.Period, d.count())
	for i := range out {
		out[i] = d.period()
		for range d.count() {
			if d.uvarint()&1 == 0 {
				d.varint()
			} else {
				d.f64()
			}
		}
	}
	if d.bad {
		return nil, errCorrupt
	}
	return out, nil
}

// comparePeriods orders periods by start, then cadence.
func comparePeriods(a, b model.Period) int {
	if c := a.Start().Compare(b.Start()); c != 0 {
		return c
	}
	switch {
	case a.Cad < b.Cad:
		return -1
	case a.Cad > b.Cad:
		return 1
	}
	return 0
}

// History record: format, from, to, period, kind, reason, flags
// (1: override), by, at. The key holds the partner id and the sequence.
func encodeHistory(h *model.History) []byte {
	e := enc{b: make([]byte, 0, 40+len(h.From)+len(h.To)+len(h.Reason)+len(h.By))}
	e.byte(recordV1)
	e.str(h.From)
	e.str(h.To)
	e.period(h.Period)
	e.str(string(h.Kind))
	e.str(h.Reason)
	var flags byte
	if h.Override {
		flags |= 1
	}
	e.byte(flags)
	e.str(h.By)
	e.time(h.At)
	return e.b
}

// decodeHistory decodes an entry from its key (id, 0x00, sequence) and value.
func decodeHistory(k, v []byte, scratch *[]byte) (model.History, uint64, error) {
	if len(k) < 10 || k[len(k)-9] != 0 {
		return model.History{}, 0, errCorrupt
	}
	d := copyKV(k, v, scratch)
	return decodeHistoryDec(&d, len(k))
}

// decodeHistoryDec decodes an entry whose key (id, 0x00, sequence) is the
// first keyLen bytes of d.
func decodeHistoryDec(d *dec, keyLen int) (model.History, uint64, error) {
	if keyLen < 10 || d.b[keyLen-9] != 0 {
		return model.History{}, 0, errCorrupt
	}
	seq := binary.BigEndian.Uint64(d.b[keyLen-8 : keyLen])
	h := model.History{Partner: d.s[:keyLen-9]}
	if d.byte() != recordV1 {
		return model.History{}, 0, errCorrupt
	}
	h.From = d.str()
	h.To = d.str()
	h.Period = d.period()
	h.Kind = model.MoveKind(d.str())
	h.Reason = d.str()
	h.Override = d.byte()&1 != 0
	h.By = d.str()
	h.At = d.time()
	if d.bad {
		return model.History{}, 0, errCorrupt
	}
	return h, seq, nil
}

func sortPeriods(ps []model.Period) { slices.SortFunc(ps, comparePeriods) }
