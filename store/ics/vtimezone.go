package ics

import (
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
)

// fromVTimezone builds the zone a VTIMEZONE of this calendar defines for
// tzid, or returns nil (with a warning when it exists but is unusable).
func (c *calendar) fromVTimezone(tzid string) *time.Location {
	tz := c.vtz[tzid]
	if tz == nil {
		tz = c.vtz[strings.ToLower(tzid)]
	}
	if tz == nil {
		return nil
	}
	loc, err := c.buildZone(tzid, tz)
	if err != nil {
		c.p.warnf(tz.line, "VTIMEZONE %q not usable: %v", tzid, err)
		return nil
	}
	return loc
}

// onset is the moment an observance (STANDARD or DAYLIGHT) begins.
type onset struct {
	at       int64 // Unix seconds
	from, to int   // UTC offsets in seconds
	dst      bool
	abbr     string
}

// buildZone reads the observances of a VTIMEZONE: each begins at its
// DTSTART and again at every RRULE and RDATE occurrence (local times in its
// TZOFFSETFROM). Their onsets within a few years of the window become the
// transitions of a time.Location, so times in the zone follow its daylight
// saving rules; a zone with one offset becomes a fixed zone.
func (c *calendar) buildZone(tzid string, tz *component) (*time.Location, error) {
	p := c.p
	lo := p.opts.From.AddDate(-2, 0, 0)
	hi := p.opts.To.AddDate(2, 0, 0)
	var ons []onset
	n := 0
	for _, ob := range tz.children {
		if ob.name != "STANDARD" && ob.name != "DAYLIGHT" {
			continue
		}
		if n++; n > maxTZObservances {
			break
		}
		toP, fromP := ob.get("TZOFFSETTO"), ob.get("TZOFFSETFROM")
		if toP == nil {
			p.warnf(ob.line, "%s without TZOFFSETTO; skipped", ob.name)
			continue
		}
		to, err := parseOffset(toP.value)
		if err != nil {
			p.warnf(toP.line, "TZOFFSETTO: %v; %s skipped", err, ob.name)
			continue
		}
		from := to
		if fromP != nil {
			if f, err := parseOffset(fromP.value); err == nil {
				from = f
			} else {
				p.warnf(fromP.line, "TZOFFSETFROM: %v; read as TZOFFSETTO", err)
			}
		}
		dtP := ob.get("DTSTART")
		if dtP == nil {
			p.warnf(ob.line, "%s without DTSTART; skipped", ob.name)
			continue
		}
		st, err := parseStamp(dtP.value)
		if err != nil {
			p.warnf(dtP.line, "%s DTSTART %q is not a date-time; skipped", ob.name, excerpt(dtP.value))
			continue
		}
		abbr := zoneAbbr(ob, to)
		isDST := ob.name == "DAYLIGHT"
		// Local times are read as if in UTC ("wall" times), then moved by
		// TZOFFSETFROM to the instant.
		wallOf := func(st stamp) time.Time {
			t := st.in(time.UTC)
			if st.utc {
				t = t.Add(time.Duration(from) * time.Second)
			}
			return t
		}
		add := func(wall time.Time) {
			ons = append(ons, onset{at: wall.Unix() - int64(from), from: from, to: to, dst: isDST, abbr: abbr})
		}
		start := wallOf(st)
		add(start)
		if rr := ob.get("RRULE"); rr != nil {
			o, ok := p.ruleOption(rr, start)
			if ok && o.Freq != rrule.YEARLY {
				p.warnf(rr.line, "%s RRULE is not yearly; only its DTSTART and RDATEs are used", ob.name)
				ok = false
			}
			if ok {
				if !o.Until.IsZero() && untilIsUTC(rr.value) {
					o.Until = o.Until.Add(time.Duration(from) * time.Second) // to wall time
				}
				count := 0
				p.occurrences(o, lo, hi, 0, rr.line, func(t time.Time) bool {
					add(t)
					count++
					return count < maxTZTransitions
				})
			}
		}
		for _, rd := range ob.all("RDATE") {
			for _, v := range splitList(rd.value) {
				v, _, _ = strings.Cut(v, "/") // a PERIOD: its start
				if s, err := parseStamp(v); err == nil {
					add(wallOf(s))
				}
			}
		}
	}
	if len(ons) == 0 {
		return nil, errors.New("no STANDARD or DAYLIGHT with an offset and a start")
	}
	slices.SortStableFunc(ons, func(a, b onset) int {
		switch {
		case a.at < b.at:
			return -1
		case a.at > b.at:
			return 1
		}
		return 0
	})
	// The offset in effect at lo is the one the last earlier onset set.
	base := onset{to: ons[0].from, abbr: formatOffset(ons[0].from)}
	var kept []onset
	for _, o := range ons {
		if o.at < lo.Unix() {
			base = o
			continue
		}
		if o.at <= hi.Unix() && len(kept) < maxTZTransitions {
			kept = append(kept, o)
		}
	}
	fixed := true
	for _, o := range kept {
		if o.to != base.to {
			fixed = false
		}
	}
	if fixed {
		return time.FixedZone(tzid, base.to), nil
	}
	return time.LoadLocationFromTZData(tzid, tzif(base, kept))
}

// untilIsUTC reports whether the rule's UNTIL ends in Z.
func untilIsUTC(rule string) bool {
	for _, part := range strings.Split(rule, ";") {
		k, v, _ := strings.Cut(part, "=")
		if strings.EqualFold(strings.TrimSpace(k), "UNTIL") {
			return strings.HasSuffix(strings.ToUpper(strings.TrimSpace(v)), "Z")
		}
	}
	return false
}

// zoneAbbr is the observance's TZNAME when it is a plain abbreviation,
// else its offset.
func zoneAbbr(ob *component, off int) string {
	if n := ob.get("TZNAME"); n != nil {
		v := strings.TrimSpace(n.value)
		ok := len(v) >= 2 && len(v) <= 8
		for _, r := range v {
			if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '+' || r == '-') {
				ok = false
			}
		}
		if ok {
			return v
		}
	}
	return formatOffset(off)
}

// tzif encodes the transitions as TZif version 2 data (RFC 8536) for
// time.LoadLocationFromTZData: local time type 0 is base (in effect before
// the first transition), each transition has its own.
func tzif(base onset, tx []onset) []byte {
	type ltype struct {
		off  int
		dst  bool
		abbr string
	}
	types := []ltype{{base.to, base.dst, base.abbr}}
	idx := make([]byte, len(tx))
	for i, o := range tx {
		t := ltype{o.to, o.dst, o.abbr}
		k := slices.Index(types[1:], t) + 1
		if k == 0 {
			if len(types) >= 200 {
				k = len(types) - 1 // never reached by a sane file
			} else {
				types = append(types, t)
				k = len(types) - 1
			}
		}
		idx[i] = byte(k)
	}
	var chars []byte
	abbrIdx := make([]byte, len(types))
	for i, t := range types {
		a := t.abbr
		if len(chars)+len(a)+1 > 250 {
			a = ""
		}
		abbrIdx[i] = byte(len(chars))
		chars = append(chars, a...)
		chars = append(chars, 0)
	}
	var b []byte
	header := func(timecnt, typecnt, charcnt int) {
		b = append(b, "TZif2"...)
		b = append(b, make([]byte, 15)...)
		for _, n := range []int{0, 0, 0, timecnt, typecnt, charcnt} { // isutcnt isstdcnt leapcnt timecnt typecnt charcnt
			b = binary.BigEndian.AppendUint32(b, uint32(n))
		}
	}
	header(0, 0, 0) // an empty version 1 part; readers use the 64-bit part
	header(len(tx), len(types), len(chars))
	for _, o := range tx {
		b = binary.BigEndian.AppendUint64(b, uint64(o.at))
	}
	b = append(b, idx...)
	for i, t := range types {
		b = binary.BigEndian.AppendUint32(b, uint32(int32(t.off)))
		dst := byte(0)
		if t.dst {
			dst = 1
		}
		b = append(b, dst, abbrIdx[i])
	}
	b = append(b, chars...)
	return append(b, '\n', '\n')
}
