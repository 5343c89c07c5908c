package ics

import (
	"slices"
	"strings"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

// series is everything in the file with one UID.
type series struct {
	uid       string
	masters   []*vevent           // without RECURRENCE-ID
	overrides map[int64][]*vevent // by RECURRENCE-ID, Unix seconds
	replies   []*vevent
}

// newer reports whether a supersedes b: higher SEQUENCE, then later
// LAST-MODIFIED (or DTSTAMP), then later in the file.
func newer(a, b *vevent) bool {
	if a.seq != b.seq {
		return a.seq > b.seq
	}
	if !a.modified.Equal(b.modified) {
		return a.modified.After(b.modified)
	}
	return a.order > b.order
}

func newest(evs []*vevent, keep func(*vevent) bool) *vevent {
	var best *vevent
	for _, ev := range evs {
		if keep(ev) && (best == nil || newer(ev, best)) {
			best = ev
		}
	}
	return best
}

func always(*vevent) bool { return true }

// build turns the events of all calendars in the file into meetings.
func (p *parser) build(events []*vevent) []model.Meeting {
	byUID := map[string]*series{}
	var order []*series
	for i, ev := range events {
		ev.order = i
		s := byUID[ev.uid]
		if s == nil {
			s = &series{uid: ev.uid, overrides: map[int64][]*vevent{}}
			byUID[ev.uid] = s
			order = append(order, s)
		}
		switch {
		case ev.reply:
			s.replies = append(s.replies, ev)
		case ev.hasRID:
			k := ev.rid.Unix()
			s.overrides[k] = append(s.overrides[k], ev)
		default:
			s.masters = append(s.masters, ev)
		}
	}
	var out []model.Meeting
	for _, s := range order {
		out = p.seriesMeetings(s, out)
	}
	sortMeetings(out)
	return dedupe(out)
}

// seriesMeetings appends the meetings of one UID. A panic while expanding
// it (in this package or a library) skips the series with a warning.
func (p *parser) seriesMeetings(s *series, out []model.Meeting) (res []model.Meeting) {
	n := len(out)
	defer func() {
		if r := recover(); r != nil {
			line := 0
			if len(s.masters) > 0 {
				line = s.masters[0].line
			}
			p.warnf(line, "event %s skipped after an internal error: %v", s.uid, r)
			res = out[:n]
		}
	}()

	master := p.pickMaster(s)
	overrides := map[int64]*vevent{}
	var keys []int64
	for k, evs := range s.overrides {
		overrides[k] = newest(evs, always)
		keys = append(keys, k)
	}
	slices.Sort(keys)

	if master != nil {
		for _, o := range overrides {
			inherit(o, master)
		}
	}
	for _, r := range s.replies {
		target := master
		if r.hasRID {
			target = overrides[r.rid.Unix()]
		}
		if target == nil {
			p.warnf(r.line, "METHOD:REPLY for an event not in the file; ignored")
			continue
		}
		if r.seq >= target.seq {
			mergeAnswers(target, r.attendees)
		}
	}

	if master != nil {
		recurs := master.rrule != nil || len(master.rdates) > 0
		for _, o := range p.expand(master) {
			if _, moved := overrides[o.start.Unix()]; moved {
				continue
			}
			inst := time.Time{}
			if recurs {
				inst = o.start
			}
			out = append(out, meeting(master, o.start, o.end, inst))
		}
	}
	for _, k := range keys {
		o := overrides[k]
		end := o.span.end(o.start)
		if p.overlaps(o.start, end) {
			out = append(out, meeting(o, o.start, end, o.rid))
		}
	}
	return out
}

// pickMaster chooses the newest event without RECURRENCE-ID. A newer one
// without DTSTART (an iTIP CANCEL names the event by UID alone) cancels the
// newest one that has a start.
func (p *parser) pickMaster(s *series) *vevent {
	best := newest(s.masters, always)
	if best == nil || best.hasStart {
		return best
	}
	dated := newest(s.masters, func(ev *vevent) bool { return ev.hasStart })
	if dated == nil {
		p.warnf(best.line, "event has no DTSTART; skipped")
		return nil
	}
	if best.status == "CANCELLED" {
		cancelled := *dated
		cancelled.status, cancelled.seq = "CANCELLED", best.seq
		return &cancelled
	}
	p.warnf(best.line, "event has no DTSTART; an earlier copy of it is used")
	return dated
}

// inherit gives an override what it leaves out from its series: an iTIP
// CANCEL of one occurrence, or a moved occurrence without DTEND, names
// little more than the occurrence.
func inherit(o, master *vevent) {
	if !o.hasEnd {
		o.span = master.span
	}
	if !o.hasSummary {
		o.summary = master.summary
	}
	if o.organizer == "" {
		o.organizer = master.organizer
	}
	if len(o.attendees) == 0 {
		o.attendees = slices.Clone(master.attendees)
	}
}

// mergeAnswers applies the PARTSTATs of a METHOD:REPLY to the event.
func mergeAnswers(ev *vevent, answers []model.Attendee) {
	ev.attendees = slices.Clone(ev.attendees)
	for _, a := range answers {
		i := slices.IndexFunc(ev.attendees, func(x model.Attendee) bool { return x.Email == a.Email })
		if i < 0 {
			ev.attendees = append(ev.attendees, a)
		} else if a.PartStat != "NEEDS-ACTION" {
			ev.attendees[i].PartStat = a.PartStat
		}
	}
}

// occurrence is one start of a series with its end.
type occurrence struct{ start, end time.Time }

// overlaps reports whether [start, end) overlaps the window; a meeting
// without length overlaps when it starts inside it.
func (p *parser) overlaps(start, end time.Time) bool {
	if !start.Before(p.opts.To) {
		return false
	}
	if end.After(start) {
		return end.After(p.opts.From)
	}
	return !start.Before(p.opts.From)
}

// expand returns the occurrences of an event overlapping the window:
// DTSTART, the RRULE's, and the RDATEs', less the EXDATEs, sorted.
func (p *parser) expand(ev *vevent) []occurrence {
	c := ev.cal
	var occ []occurrence
	add := func(start, end time.Time) {
		if p.overlaps(start, end) {
			occ = append(occ, occurrence{start, end})
		}
	}
	add(ev.start, ev.span.end(ev.start))
	if ev.rrule != nil {
		if o, ok := p.ruleOption(ev.rrule, ev.start); ok {
			p.occurrences(o, p.opts.From, p.opts.To, ev.span.longest(), ev.rrule.line, func(t time.Time) bool {
				add(t, ev.span.end(t))
				return true
			})
		}
	}
	for _, pr := range ev.rdates {
		for _, v := range splitList(pr.value) {
			startV, endV, period := strings.Cut(v, "/")
			t, _, ok := c.time(pr, startV, ev.zone)
			if !ok {
				continue
			}
			end := ev.span.end(t)
			if period {
				if d, err := parseDuration(endV); err == nil && !d.neg {
					end = d.add(t)
				} else if e, _, ok := c.time(pr, endV, ev.zone); ok && !e.Before(t) {
					end = e
				}
			}
			add(t, end)
		}
	}
	if len(occ) == 0 {
		return nil
	}

	exact := map[int64]bool{}
	type ymd struct {
		y int
		m time.Month
		d int
	}
	days := map[ymd]bool{}
	for _, pr := range ev.exdates {
		for _, v := range splitList(pr.value) {
			t, isDate, ok := c.time(pr, v, ev.zone)
			if !ok {
				continue
			}
			if isDate || ev.allDay {
				y, m, d := t.Date()
				days[ymd{y, m, d}] = true
			} else {
				exact[t.Unix()] = true
			}
		}
	}
	slices.SortFunc(occ, func(a, b occurrence) int { return a.start.Compare(b.start) })
	out := occ[:0]
	var last int64
	for i, o := range occ {
		u := o.start.Unix()
		if i > 0 && u == last {
			continue // RDATE repeating an RRULE date
		}
		last = u
		if exact[u] {
			continue
		}
		if len(days) > 0 {
			y, m, d := o.start.In(ev.zone).Date()
			if days[ymd{y, m, d}] {
				continue
			}
		}
		out = append(out, o)
	}
	return out
}

func meeting(ev *vevent, start, end, instance time.Time) model.Meeting {
	return model.Meeting{
		UID:         ev.uid,
		Instance:    instance,
		Sequence:    ev.seq,
		Start:       start,
		End:         end,
		Summary:     ev.summary,
		Organizer:   ev.organizer,
		Attendees:   slices.Clone(ev.attendees),
		Status:      ev.status,
		Transparent: ev.transp,
		AllDay:      ev.allDay,
	}
}

// dedupe keeps one meeting per Key, the highest SEQUENCE (the first on a
// tie). ms is sorted and stays so.
func dedupe(ms []model.Meeting) []model.Meeting {
	type key struct {
		uid  string
		inst int64 // Unix seconds of Instance, as Key() formats it
		none bool  // no Instance
	}
	at := make(map[key]int, len(ms))
	drop := make([]bool, len(ms))
	dropped := false
	for i, m := range ms {
		k := key{uid: m.UID, inst: m.Instance.Unix(), none: m.Instance.IsZero()}
		j, seen := at[k]
		if !seen {
			at[k] = i
			continue
		}
		dropped = true
		if m.Sequence > ms[j].Sequence {
			drop[j] = true
			at[k] = i
		} else {
			drop[i] = true
		}
	}
	if !dropped {
		return ms
	}
	out := ms[:0]
	for i, m := range ms {
		if !drop[i] {
			out = append(out, m)
		}
	}
	return out
}
