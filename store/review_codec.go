package store

import (
	"encoding/binary"
	"math"
	"slices"
	"strings"

	"github.com/partnertiers/partnertiers/model"
)

// A review keeps each proposal in two records, both keyed by partner id:
// the light proposal, which every list of the review reads, and its
// evidence, which only the proposal's own view needs. A review of 100k
// partners then reads in a few megabytes, and the evidence of one partner
// in one lookup.

// Proposal record: format (proposalV2), name, kind, from, to, earned,
// explanation. The key is the partner id. A review's order follows from its
// proposals (model.SortProposals) and is worked out when it is read, so a
// start writes its proposals in batches before it knows their order.
// Format 1 also held the proposal's position after the format byte; read,
// it is skipped.
const proposalV2 = 2

func encodeProposal(pr *model.Proposal) []byte {
	e := enc{b: make([]byte, 0, 16+len(pr.Name)+len(pr.Kind)+len(pr.From)+len(pr.To)+len(pr.Earned)+len(pr.Explanation))}
	e.byte(proposalV2)
	e.str(pr.Name)
	e.str(string(pr.Kind))
	e.str(pr.From)
	e.str(pr.To)
	e.str(pr.Earned)
	e.str(pr.Explanation)
	return e.b
}

// decodeProposal decodes a proposal record from a key and value still
// inside a transaction.
func decodeProposal(k, v []byte) (model.Proposal, error) {
	var scratch []byte
	d := copyKV(k, v, &scratch)
	return decodeProposalDec(&d, len(k))
}

// decodeProposalDec decodes a proposal whose key is the first keyLen bytes
// of d; the proposal's Evaluation stays nil.
func decodeProposalDec(d *dec, keyLen int) (model.Proposal, error) {
	pr := model.Proposal{Partner: d.s[:keyLen]}
	switch d.byte() {
	case proposalV2:
	case recordV1:
		if d.uvarint() > math.MaxInt32 {
			return model.Proposal{}, errCorrupt
		}
	default:
		return model.Proposal{}, errCorrupt
	}
	pr.Name = d.str()
	pr.Kind = model.MoveKind(d.str())
	pr.From = d.str()
	pr.To = d.str()
	pr.Earned = d.str()
	pr.Explanation = d.str()
	if d.bad {
		return model.Proposal{}, errCorrupt
	}
	return pr, nil
}

// stringTable numbers the strings evidence records repeat: metric, tier
// and track keys. A review keeps the table in its header and each record
// only the numbers, so the evidence of a partner takes about 150 bytes,
// not 600, and starting a review writes (under the write lock) a third as
// much.
type stringTable struct {
	index map[string]uint64
	list  []string
}

func (t *stringTable) id(s string) uint64 {
	if i, ok := t.index[s]; ok {
		return i
	}
	if t.index == nil {
		t.index = map[string]uint64{}
	}
	i := uint64(len(t.list))
	t.index[s] = i
	t.list = append(t.list, s)
	return i
}

// Evidence record: format, period, track, current, earned, #values and
// each value as metric and number, #checks and per check the tier, met
// (byte), #evidence and per criterion the metric, value, min and gap
// (numbers) and flags (1: met, 2: any). Keys are numbers in the review's
// string table; numbers are written by enc.num. The key is the partner id.
func encodeEvaluation(ev *model.Evaluation, t *stringTable) []byte {
	e := enc{b: make([]byte, 0, 16+len(ev.Values)*6+len(ev.Checks)*40)}
	e.byte(recordV1)
	e.period(ev.Period)
	e.uvarint(t.id(ev.Track))
	e.uvarint(t.id(ev.Current))
	e.uvarint(t.id(ev.Earned))
	keys := make([]string, 0, len(ev.Values))
	for k := range ev.Values {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	e.uvarint(uint64(len(keys)))
	for _, k := range keys {
		e.uvarint(t.id(k))
		e.num(ev.Values[k])
	}
	e.uvarint(uint64(len(ev.Checks)))
	for _, c := range ev.Checks {
		e.uvarint(t.id(c.Tier))
		e.bool(c.Met)
		e.uvarint(uint64(len(c.Evidence)))
		for _, x := range c.Evidence {
			e.uvarint(t.id(x.Metric))
			e.num(x.Value)
			e.num(x.Min)
			e.num(x.Gap)
			var flags byte
			if x.Met {
				flags |= 1
			}
			if x.Any {
				flags |= 2
			}
			e.byte(flags)
		}
	}
	return e.b
}

// decodeEvaluation decodes the evidence record of partner k with the
// review's string table.
func decodeEvaluation(k, v []byte, strs []string) (model.Evaluation, error) {
	d := dec{b: v}
	str := func() string {
		i := d.uvarint()
		if i >= uint64(len(strs)) {
			d.bad = true
			return ""
		}
		return strs[i]
	}
	ev := model.Evaluation{Partner: string(k)}
	if d.byte() != recordV1 {
		return model.Evaluation{}, errCorrupt
	}
	ev.Period = d.period()
	ev.Track = str()
	ev.Current = str()
	ev.Earned = str()
	n := d.count()
	ev.Values = make(map[string]float64, n)
	for range n {
		k := str()
		ev.Values[k] = d.num()
	}
	if n = d.count(); n > 0 {
		ev.Checks = make([]model.TierCheck, n)
	}
	for i := range ev.Checks {
		c := &ev.Checks[i]
		c.Tier = str()
		c.Met = d.byte() != 0
		if m := d.count(); m > 0 {
			c.Evidence = make([]model.Evidence, m)
		}
		for j := range c.Evidence {
			x := &c.Evidence[j]
			x.Metric = str()
			x.Value = d.num()
			x.Min = d.num()
			x.Gap = d.num()
			flags := d.byte()
			x.Met, x.Any = flags&1 != 0, flags&2 != 0
		}
		if d.bad {
			break
		}
	}
	if d.bad {
		return model.Evaluation{}, errCorrupt
	}
	return ev, nil
}

// num writes a number: a whole one (most money and counts) as a uvarint
// of its zig-zag value shifted left, any other as the tag 1 and the 8
// bytes of its float64.
func (e *enc) num(v float64) {
	if v == math.Trunc(v) && math.Abs(v) < 1<<53 && !(v == 0 && math.Signbit(v)) {
		x := int64(v)
		e.uvarint(uint64(x<<1^x>>63) << 1)
		return
	}
	e.uvarint(1)
	e.f64(v)
}

func (d *dec) num() float64 {
	tag := d.uvarint()
	if tag&1 == 1 {
		if tag != 1 {
			d.bad = true
			return 0
		}
		return d.f64()
	}
	zz := tag >> 1
	return float64(int64(zz>>1) ^ -int64(zz&1))
}

func (e *enc) f64(v float64) { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v)) }

func (e *enc) bool(v bool) {
	if v {
		e.byte(1)
	} else {
		e.byte(0)
	}
}

// briefer makes brief proposals: without their explanations (unless
// explained), and holding no part of the record they were decoded from
// (scanRecords shares a megabyte of records between their strings, so one
// proposal kept as decoded keeps a megabyte). Kinds and tiers are few, so
// every proposal shares one copy of each.
type briefer struct{ shared map[string]string }

func (b *briefer) of(pr model.Proposal, explained bool) model.Proposal {
	if b.shared == nil {
		b.shared = map[string]string{}
	}
	share := func(s string) string {
		if c, ok := b.shared[s]; ok {
			return c
		}
		c := strings.Clone(s)
		b.shared[c] = c
		return c
	}
	out := model.Proposal{
		Partner: strings.Clone(pr.Partner), Name: strings.Clone(pr.Name),
		Kind: model.MoveKind(share(string(pr.Kind))), From: share(pr.From), To: share(pr.To), Earned: share(pr.Earned),
	}
	if explained {
		out.Explanation = strings.Clone(pr.Explanation)
	}
	return out
}
