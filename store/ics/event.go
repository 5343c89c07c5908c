package ics

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/safetext"
)

// calendar is one VCALENDAR being read: its METHOD, its VTIMEZONEs and the
// zones resolved so far.
type calendar struct {
	p      *parser
	method string
	vtz    map[string]*component     // VTIMEZONE by TZID and by lower-case TZID
	zones  map[string]*time.Location // resolved TZIDs
}

// span is how long each occurrence lasts.
type span struct {
	exact  time.Duration // from DTEND: the same exact length each time
	nom    duration      // from DURATION, or whole days for an all-day DTEND
	useNom bool
}

func (s span) end(start time.Time) time.Time {
	if s.useNom {
		return s.nom.add(start)
	}
	return start.Add(s.exact)
}

// longest is an upper bound of the span, for window arithmetic.
func (s span) longest() time.Duration {
	if s.useNom {
		return time.Duration(s.nom.days)*25*time.Hour + time.Duration(s.nom.secs)*time.Second
	}
	return s.exact
}

// vevent is a VEVENT read into what a meeting needs.
type vevent struct {
	cal      *calendar
	line     int
	order    int
	uid      string
	hasRID   bool
	rid      time.Time // RECURRENCE-ID
	seq      int
	modified time.Time // LAST-MODIFIED, else DTSTAMP: breaks SEQUENCE ties

	hasStart bool
	start    time.Time
	allDay   bool
	zone     *time.Location // DTSTART's zone: floating EXDATE, RDATE and RECURRENCE-ID use it
	span     span
	hasEnd   bool // DTEND or DURATION given

	rrule   *prop
	rdates  []*prop
	exdates []*prop

	summary    string
	hasSummary bool
	organizer  string
	attendees  []model.Attendee
	status     string
	transp     bool
	reply      bool // from a METHOD:REPLY calendar: answers, not a meeting
}

// calendarEvents reads the VEVENTs of one VCALENDAR. A panic while reading
// one event (in this package or a library) skips that event.
func (p *parser) calendarEvents(comp *component) (out []*vevent) {
	c := &calendar{p: p, vtz: map[string]*component{}, zones: map[string]*time.Location{}}
	if m := comp.get("METHOD"); m != nil {
		c.method = strings.ToUpper(strings.TrimSpace(m.value))
	}
	switch c.method {
	case "COUNTER", "DECLINECOUNTER", "REFRESH":
		p.warnf(comp.line, "VCALENDAR with METHOD:%s proposes or asks, it schedules nothing; skipped", c.method)
		return nil
	}
	for _, ch := range comp.children {
		if ch.name != "VTIMEZONE" {
			continue
		}
		if id := ch.get("TZID"); id != nil {
			tzid := strings.TrimSpace(unescapeText(id))
			c.vtz[tzid] = ch
			c.vtz[strings.ToLower(tzid)] = ch
		}
	}
	for _, ch := range comp.children {
		if ch.name != "VEVENT" {
			continue
		}
		if ev := c.event(ch); ev != nil {
			out = append(out, ev)
		}
	}
	return out
}

// event reads one VEVENT, or returns nil (with a warning) when it cannot
// be a meeting.
func (c *calendar) event(comp *component) (ev *vevent) {
	p := c.p
	defer func() {
		if r := recover(); r != nil {
			p.warnf(comp.line, "event skipped after an internal error: %v", r)
			ev = nil
		}
	}()
	ev = &vevent{cal: c, line: comp.line, zone: p.opts.Zone, reply: c.method == "REPLY"}

	if u := comp.get("UID"); u != nil {
		ev.uid = safetext.Clean(unescapeText(u))
	}
	if ev.uid == "" {
		ev.uid = syntheticUID(comp)
		p.warnf(comp.line, "event has no UID; using %s", ev.uid)
	}
	if s := comp.get("SEQUENCE"); s != nil {
		n, err := strconv.Atoi(strings.TrimSpace(s.value))
		if err != nil || n < 0 {
			p.warnf(s.line, "SEQUENCE %q is not a number; read as 0", excerpt(s.value))
		} else {
			ev.seq = n
		}
	}
	for _, name := range []string{"LAST-MODIFIED", "DTSTAMP"} {
		if pr := comp.get(name); pr != nil {
			if st, err := parseStamp(pr.value); err == nil {
				ev.modified = st.in(time.UTC)
				break
			}
		}
	}

	if pr := comp.get("DTSTART"); pr != nil {
		t, date, ok := c.time(pr, pr.value, p.opts.Zone)
		if ok {
			ev.hasStart, ev.start, ev.allDay = true, t, date
			ev.zone = t.Location()
		}
	}
	if pr := comp.get("RECURRENCE-ID"); pr != nil {
		t, date, ok := c.time(pr, pr.value, ev.zone)
		if ok {
			ev.hasRID, ev.rid = true, t
			if strings.EqualFold(pr.param("RANGE"), "THISANDFUTURE") {
				p.warnf(pr.line, "RECURRENCE-ID;RANGE=THISANDFUTURE is applied to this occurrence only")
			}
			if !ev.hasStart {
				// iTIP CANCEL names the occurrence by RECURRENCE-ID alone.
				ev.hasStart, ev.start, ev.allDay, ev.zone = true, t, date, t.Location()
			}
		}
	}
	if c.method == "ADD" && !ev.hasRID && ev.hasStart {
		// METHOD:ADD adds occurrences to an existing series.
		ev.hasRID, ev.rid = true, ev.start
	}
	if ev.hasStart {
		c.readSpan(comp, ev)
	}
	if pr := comp.get("X-MICROSOFT-CDO-ALLDAYEVENT"); pr != nil && strings.EqualFold(strings.TrimSpace(pr.value), "TRUE") {
		ev.allDay = true
	}

	ev.rrule = comp.get("RRULE")
	if rr := comp.all("RRULE"); len(rr) > 1 {
		p.warnf(rr[1].line, "more than one RRULE; only the first is used")
	}
	ev.rdates = comp.all("RDATE")
	ev.exdates = comp.all("EXDATE")

	if s := comp.get("SUMMARY"); s != nil {
		ev.summary, ev.hasSummary = safetext.Clean(unescapeText(s)), true
	}
	if o := comp.get("ORGANIZER"); o != nil {
		ev.organizer = safetext.Clean(email(o))
	}
	seen := map[string]bool{}
	for _, a := range comp.all("ATTENDEE") {
		e := safetext.Clean(email(a))
		if e == "" || seen[e] {
			continue
		}
		seen[e] = true
		ps := strings.ToUpper(safetext.Clean(a.param("PARTSTAT")))
		if ps == "" {
			ps = "NEEDS-ACTION"
		}
		ev.attendees = append(ev.attendees, model.Attendee{Email: e, PartStat: ps})
	}
	if s := comp.get("STATUS"); s != nil {
		ev.status = strings.ToUpper(safetext.Clean(s.value))
	}
	if ev.status == "" && c.method == "CANCEL" {
		ev.status = "CANCELLED"
	}
	if t := comp.get("TRANSP"); t != nil {
		ev.transp = strings.EqualFold(strings.TrimSpace(t.value), "TRANSPARENT")
	} else if b := comp.get("X-MICROSOFT-CDO-BUSYSTATUS"); b != nil {
		ev.transp = strings.EqualFold(strings.TrimSpace(b.value), "FREE")
	}
	return ev
}

// readSpan reads DTEND or DURATION into the event's span.
func (c *calendar) readSpan(comp *component, ev *vevent) {
	p := c.p
	if pr := comp.get("DTEND"); pr != nil {
		end, endDate, ok := c.time(pr, pr.value, ev.zone)
		switch {
		case !ok:
		case end.Before(ev.start):
			p.warnf(pr.line, "DTEND is before DTSTART; ignored")
		case end.Sub(ev.start) > maxSpanDays*24*time.Hour:
			p.warnf(pr.line, "DTEND is more than a century after DTSTART; ignored")
		case ev.allDay && endDate:
			days := int(end.Sub(ev.start).Hours()+12) / 24 // whole days, across DST
			ev.span = span{nom: duration{days: max(days, 1)}, useNom: true}
			ev.hasEnd = true
			return
		default:
			ev.span = span{exact: end.Sub(ev.start)}
			ev.hasEnd = true
			return
		}
	}
	if pr := comp.get("DURATION"); pr != nil {
		d, err := parseDuration(pr.value)
		switch {
		case err != nil:
			p.warnf(pr.line, "DURATION %q: %v; ignored", excerpt(pr.value), err)
		case d.neg && !d.zero():
			p.warnf(pr.line, "DURATION %q is negative; ignored", excerpt(pr.value))
		default:
			ev.span = span{nom: d, useNom: true}
			ev.hasEnd = true
			return
		}
	}
	if ev.allDay {
		ev.span = span{nom: duration{days: 1}, useNom: true}
	}
}

// time reads one DATE or DATE-TIME value of pr: UTC when it ends in Z, in
// the zone its TZID names, else in def (floating). isDate says it was a
// DATE. ok is false (with a warning) when the value is not a time.
func (c *calendar) time(pr *prop, v string, def *time.Location) (t time.Time, isDate, ok bool) {
	st, err := parseStamp(v)
	if err != nil {
		c.p.warnf(pr.line, "%s %q is not a date or date-time; ignored", pr.name, excerpt(v))
		return time.Time{}, false, false
	}
	if st.date {
		// All-day dates are days in the configured zone.
		return st.in(c.p.opts.Zone), true, true
	}
	loc := def
	if tzid := pr.param("TZID"); tzid != "" && !st.utc {
		if l := c.location(tzid, pr.line); l != nil {
			loc = l
		}
	}
	return st.in(loc), false, true
}

// syntheticUID names an event without a UID by what it holds, so the same
// event exported twice gets the same name.
func syntheticUID(comp *component) string {
	h := fnv.New64a()
	for _, name := range []string{"DTSTART", "DTEND", "DURATION", "SUMMARY", "RRULE", "RECURRENCE-ID"} {
		if pr := comp.get(name); pr != nil {
			h.Write([]byte(pr.param("TZID")))
			h.Write([]byte{0})
			h.Write([]byte(pr.value))
		}
		h.Write([]byte{1})
	}
	return fmt.Sprintf("no-uid-%016x", h.Sum64())
}
