package ics

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
)

var freqs = map[string]rrule.Frequency{
	"YEARLY": rrule.YEARLY, "MONTHLY": rrule.MONTHLY, "WEEKLY": rrule.WEEKLY,
	"DAILY": rrule.DAILY, "HOURLY": rrule.HOURLY, "MINUTELY": rrule.MINUTELY,
	"SECONDLY": rrule.SECONDLY,
}

var weekdays = map[string]rrule.Weekday{
	"MO": rrule.MO, "TU": rrule.TU, "WE": rrule.WE, "TH": rrule.TH,
	"FR": rrule.FR, "SA": rrule.SA, "SU": rrule.SU,
}

// ruleOption reads an RRULE value for a series starting at start (its zone
// is the series' zone). A part that is unknown or out of range is dropped
// with a warning; ok is false when the rule cannot be expanded at all.
func (p *parser) ruleOption(pr *prop, start time.Time) (o rrule.ROption, ok bool) {
	o.Dtstart = start
	o.Wkst = rrule.MO
	seen := map[string]bool{}
	freqSet := false
	emptied := "" // a BY part whose items were all dropped
	for _, part := range strings.Split(pr.value, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k = strings.ToUpper(strings.TrimSpace(k))
		v = strings.ToUpper(strings.TrimSpace(v))
		if v == "" {
			p.warnf(pr.line, "RRULE part %q has no value; dropped", k)
			continue
		}
		if seen[k] {
			p.warnf(pr.line, "RRULE part %s given twice; the second dropped", k)
			continue
		}
		seen[k] = true
		bad := func() { p.warnf(pr.line, "RRULE %s=%s is not valid; dropped", k, v) }
		switch k {
		case "FREQ":
			f, known := freqs[v]
			if !known {
				p.warnf(pr.line, "RRULE FREQ=%s is not a frequency; read as a single occurrence", v)
				return o, false
			}
			if f == rrule.MINUTELY || f == rrule.SECONDLY {
				p.warnf(pr.line, "RRULE FREQ=%s is not expanded (a meeting does not recur by the minute); read as a single occurrence", v)
				return o, false
			}
			o.Freq, freqSet = f, true
		case "INTERVAL":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				bad()
				continue
			}
			o.Interval = min(n, 1_000_000)
		case "COUNT":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				bad()
				continue
			}
			o.Count = min(n, 1_000_000_000)
		case "UNTIL":
			st, err := parseStamp(v)
			if err != nil {
				bad()
				continue
			}
			if st.date {
				// A date: every occurrence on that day, in the series' zone.
				st.hour, st.min, st.sec = 23, 59, 59
			}
			o.Until = st.in(start.Location()) // floating UNTIL: the series' zone
		case "WKST":
			wd, known := weekdays[v]
			if !known {
				bad()
				continue
			}
			o.Wkst = wd
		case "BYDAY":
			items := splitList(v)
			for _, item := range items {
				wd, err := parseByDay(item)
				if err != nil {
					p.warnf(pr.line, "RRULE BYDAY item %q is not valid; dropped", item)
					continue
				}
				if !slices.Contains(o.Byweekday, wd) {
					o.Byweekday = append(o.Byweekday, wd)
				}
			}
			if len(items) > 0 && len(o.Byweekday) == 0 {
				emptied = k
			}
		case "BYMONTH":
			o.Bymonth = p.ints(pr, k, v, 1, 12, false, &emptied)
		case "BYMONTHDAY":
			o.Bymonthday = p.ints(pr, k, v, 1, 31, true, &emptied)
		case "BYYEARDAY":
			o.Byyearday = p.ints(pr, k, v, 1, 366, true, &emptied)
		case "BYWEEKNO":
			o.Byweekno = p.ints(pr, k, v, 1, 53, true, &emptied)
		case "BYHOUR":
			o.Byhour = p.ints(pr, k, v, 0, 23, false, &emptied)
		case "BYMINUTE":
			o.Byminute = p.ints(pr, k, v, 0, 59, false, &emptied)
		case "BYSECOND":
			o.Bysecond = p.ints(pr, k, v, 0, 59, false, &emptied)
		case "BYSETPOS":
			o.Bysetpos = p.ints(pr, k, v, 1, 366, true, &emptied)
		default:
			p.warnf(pr.line, "RRULE part %s is not supported; dropped", k)
		}
	}
	if !freqSet {
		p.warnf(pr.line, "RRULE has no FREQ; read as a single occurrence")
		return o, false
	}
	if o.Freq == rrule.MONTHLY || o.Freq == rrule.YEARLY && len(o.Bymonth) > 0 {
		// An ordinal counts weekdays within a month: at most five. (rrule-go
		// indexes past its masks with more.)
		kept := o.Byweekday[:0]
		for _, wd := range o.Byweekday {
			if n := wd.N(); n > 5 || n < -5 {
				p.warnf(pr.line, "RRULE BYDAY %s: no month has that many; dropped", wd)
				continue
			}
			kept = append(kept, wd)
		}
		if len(o.Byweekday) > 0 && len(kept) == 0 {
			emptied = "BYDAY"
		}
		o.Byweekday = kept
	}
	if emptied != "" {
		p.warnf(pr.line, "RRULE %s has no valid item left; read as a single occurrence", emptied)
		return o, false
	}
	if o.Freq == rrule.HOURLY && o.Interval > 1 && len(o.Byhour) > 0 {
		// rrule-go steps hour by hour until BYHOUR matches, forever if it
		// never can: check that the interval reaches one of the hours.
		g := gcd(o.Interval, 24)
		reach := false
		for _, h := range o.Byhour {
			if ((h-start.Hour())%g+g)%g == 0 {
				reach = true
			}
		}
		if !reach {
			p.warnf(pr.line, "RRULE never reaches its BYHOUR; read as a single occurrence")
			return o, false
		}
	}
	return o, true
}

// ints reads a BYxxx list, dropping (with a warning) items outside
// [lo, hi] (or [-hi, -lo] when neg) and repeats. When every item is
// dropped it sets *emptied to the part's name: without the part the rule
// would mean something else.
func (p *parser) ints(pr *prop, k, v string, lo, hi int, neg bool, emptied *string) []int {
	var out []int
	items := splitList(v)
	defer func() {
		if len(items) > 0 && len(out) == 0 {
			*emptied = k
		}
	}()
	for _, item := range items {
		n, err := strconv.Atoi(strings.TrimPrefix(item, "+"))
		if err != nil || !(n >= lo && n <= hi || neg && n <= -lo && n >= -hi) {
			p.warnf(pr.line, "RRULE %s item %q is out of range; dropped", k, item)
			continue
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// parseByDay reads a BYDAY item: MO, 1MO, -1SU, +2TU.
func parseByDay(s string) (rrule.Weekday, error) {
	if len(s) < 2 {
		return rrule.Weekday{}, errBadDate
	}
	wd, ok := weekdays[s[len(s)-2:]]
	if !ok {
		return rrule.Weekday{}, errBadDate
	}
	if num := s[:len(s)-2]; num != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(num, "+"))
		if err != nil || n == 0 || n > 53 || n < -53 {
			return rrule.Weekday{}, errBadDate
		}
		wd = wd.Nth(n)
	}
	return wd, nil
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// occurrences calls fn, in order, with each start the rule generates
// before to (until fn returns false), skipping the part of the series that
// ends before from. lead is the longest an occurrence lasts: one that
// starts lead before from still overlaps the window.
//
// rrule-go iterates from DTSTART and has no step budget, so this guards
// it: a rule that can never match is found on a probe near year 9999
// (where the library's own year limit stops it), a series without COUNT is
// restarted close to the window on a period boundary that keeps its phase,
// each series and the whole file have a cap on generated occurrences, and
// expansion as a whole has a time limit (checked between occurrences, which
// the probe keeps at most one 400-year cycle apart).
func (p *parser) occurrences(o rrule.ROption, from, to time.Time, lead time.Duration, line int, fn func(time.Time) bool) {
	if !o.Dtstart.Before(to) || p.overtime(line) {
		return
	}
	if !o.Until.IsZero() && o.Until.Add(lead).Before(from) {
		return
	}
	if o.Count == 0 {
		shiftStart(&o, from.Add(-lead-48*time.Hour))
	}
	if neverMatches(o) {
		p.warnf(line, "RRULE matches no date; only DTSTART is kept")
		return
	}
	r, err := rrule.NewRRule(o)
	if err != nil {
		p.warnf(line, "RRULE not expanded: %v", err)
		return
	}
	next := r.Iterator()
	for steps := 0; ; steps++ {
		t, ok := next()
		if !ok || !t.Before(to) {
			return
		}
		if steps >= maxSeriesSteps {
			p.warnf(line, "recurrence stopped after %d occurrences", maxSeriesSteps)
			return
		}
		if p.budget--; p.budget < 0 {
			if p.budget == -1 {
				p.warnf(line, "recurrences stopped: the file generates more than %d occurrences", maxTotalSteps)
			}
			return
		}
		if steps%64 == 63 && p.overtime(line) {
			return
		}
		if !fn(t) {
			return
		}
	}
}

// neverMatches reports whether the rule generates no occurrence at all.
// rrule-go would look for one until year 9999, which takes seconds for a
// daily rule; the probe starts 400·k years later (the Gregorian calendar
// repeats every 400 years), where that limit is near.
func neverMatches(o rrule.ROption) bool {
	if surelyMatches(o) {
		return false
	}
	o.Count, o.Until = 1, time.Time{}
	st := o.Dtstart
	if y := st.Year(); y < 9200 {
		k := (9200 - y + 399) / 400
		o.Dtstart = time.Date(y+400*k, st.Month(), st.Day(), st.Hour(), st.Minute(), st.Second(), 0, st.Location())
	}
	r, err := rrule.NewRRule(o)
	if err != nil {
		return true
	}
	_, ok := r.Iterator()()
	return !ok
}

// surelyMatches recognises the rules calendars actually use, which match a
// date in every month or so, so that only unusual ones pay for the probe:
// no BYWEEKNO, BYYEARDAY or BYSETPOS, BYMONTH only in a yearly rule, month
// days and weekday ordinals that every month has, not both together.
func surelyMatches(o rrule.ROption) bool {
	if len(o.Byweekno) > 0 || len(o.Byyearday) > 0 || len(o.Bysetpos) > 0 || len(o.Byeaster) > 0 {
		return false
	}
	if len(o.Bymonth) > 0 && o.Freq != rrule.YEARLY || len(o.Bymonthday) > 0 && len(o.Byweekday) > 0 {
		return false
	}
	for _, d := range o.Bymonthday {
		if d > 28 || d < -28 {
			return false
		}
	}
	for _, w := range o.Byweekday {
		if n := w.N(); n > 4 || n < -4 {
			return false
		}
	}
	// A yearly rule by month alone takes its day from DTSTART: the 31st is
	// not in every month.
	return !(o.Freq == rrule.YEARLY && len(o.Bymonth) > 0 && len(o.Bymonthday) == 0 && len(o.Byweekday) == 0 && o.Dtstart.Day() > 28)
}

// shiftStart moves DTSTART of a rule without COUNT forward to a period
// boundary at or before target that the original iteration also visits,
// so iteration starts near the window instead of years before it. The
// defaults rrule-go derives from DTSTART are written out first so the
// shifted rule generates the same dates.
func shiftStart(o *rrule.ROption, target time.Time) {
	start := o.Dtstart
	if !start.Before(target) {
		return
	}
	loc := start.Location()
	tw := target.In(loc)
	sw := time.Date(start.Year(), start.Month(), start.Day(), start.Hour(), start.Minute(), start.Second(), 0, time.UTC)
	tww := time.Date(tw.Year(), tw.Month(), tw.Day(), tw.Hour(), tw.Minute(), tw.Second(), 0, time.UTC)
	n := max(o.Interval, 1)
	days := int(tww.Sub(sw).Hours() / 24)
	var k int
	switch o.Freq {
	case rrule.YEARLY:
		k = (tw.Year()-start.Year())/n - 1
	case rrule.MONTHLY:
		k = ((tw.Year()-start.Year())*12+int(tw.Month())-int(start.Month()))/n - 1
	case rrule.WEEKLY:
		k = days/7/n - 1
	case rrule.DAILY:
		k = days/n - 1
	case rrule.HOURLY:
		k = int(tww.Sub(sw).Hours())/n - 1
	default:
		return
	}
	if k < 1 {
		return
	}
	materialize(o)
	switch o.Freq {
	case rrule.YEARLY:
		o.Dtstart = time.Date(start.Year()+k*n, 1, 1, 0, 0, 0, 0, loc)
	case rrule.MONTHLY:
		o.Dtstart = time.Date(start.Year(), start.Month()+time.Month(k*n), 1, 0, 0, 0, 0, loc)
	case rrule.WEEKLY:
		d := time.Date(start.Year(), start.Month(), start.Day()+7*k*n, 0, 0, 0, 0, loc)
		wkst := time.Weekday((o.Wkst.Day() + 1) % 7)
		back := (int(d.Weekday()) - int(wkst) + 7) % 7
		o.Dtstart = time.Date(d.Year(), d.Month(), d.Day()-back, 0, 0, 0, 0, loc)
	case rrule.DAILY:
		o.Dtstart = time.Date(start.Year(), start.Month(), start.Day()+k*n, 0, 0, 0, 0, loc)
	case rrule.HOURLY:
		w := sw.Add(time.Duration(k*n) * time.Hour)
		o.Dtstart = time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, loc)
	}
}

// materialize writes out the parts rrule-go fills in from DTSTART when the
// rule leaves them out (the same conditions as its buildRRule).
func materialize(o *rrule.ROption) {
	st := o.Dtstart
	if len(o.Byweekno) == 0 && len(o.Byyearday) == 0 && len(o.Bymonthday) == 0 && len(o.Byweekday) == 0 && len(o.Byeaster) == 0 {
		switch o.Freq {
		case rrule.YEARLY:
			if len(o.Bymonth) == 0 {
				o.Bymonth = []int{int(st.Month())}
			}
			o.Bymonthday = []int{st.Day()}
		case rrule.MONTHLY:
			o.Bymonthday = []int{st.Day()}
		case rrule.WEEKLY:
			o.Byweekday = []rrule.Weekday{weekdayOf(st.Weekday())}
		}
	}
	if len(o.Byhour) == 0 && o.Freq < rrule.HOURLY {
		o.Byhour = []int{st.Hour()}
	}
	if len(o.Byminute) == 0 && o.Freq < rrule.MINUTELY {
		o.Byminute = []int{st.Minute()}
	}
	if len(o.Bysecond) == 0 && o.Freq < rrule.SECONDLY {
		o.Bysecond = []int{st.Second()}
	}
}

func weekdayOf(d time.Weekday) rrule.Weekday {
	return [...]rrule.Weekday{rrule.SU, rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA}[d]
}
