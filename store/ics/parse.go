package ics

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/safetext"
)

// Options bound and localise a parse.
type Options struct {
	// From and To are the window: only occurrences overlapping [From, To)
	// are returned, and recurrences are expanded only as far as To (never
	// unbounded). To must be after From.
	From, To time.Time
	// Zone is the configured zone: floating times and all-day dates are read
	// in it, and it is the last resort for a TZID nothing else resolves (with
	// a warning). Nil means UTC.
	Zone *time.Location
}

// Warning is one thing in the file that was skipped or read in a
// particular way.
type Warning struct {
	// Line is the line in the file: for a property folded over several
	// lines, its first physical line; for an event, its BEGIN:VEVENT line.
	// Zero when not known.
	Line int
	Msg  string
}

// String is "line 42: msg", or just the message when the line is not known.
func (w Warning) String() string {
	if w.Line <= 0 {
		return w.Msg
	}
	return fmt.Sprintf("line %d: %s", w.Line, w.Msg)
}

// Result is what a parse found.
type Result struct {
	// Meetings are the occurrences overlapping the window, sorted by start:
	// single events, expanded instances of recurring ones with their
	// overrides applied, and overrides whose series is not in the file.
	// Cancelled, transparent, all-day and declined meetings are included and
	// flagged; the caller filters. EXDATEd instances are not included.
	Meetings []model.Meeting
	// Warnings list what was skipped or repaired, in file order.
	Warnings []Warning
}

// ErrNotCalendar is wrapped by the error Parse returns for data that is not
// an iCalendar file at all.
var ErrNotCalendar = errors.New("not an iCalendar file")

// Limits that keep a hostile or broken file from costing unbounded time or
// memory. A real calendar stays far below each.
const (
	maxWarnings      = 1000    // then one summary warning
	maxSeriesSteps   = 50_000  // occurrences one series may generate
	maxTotalSteps    = 300_000 // occurrences all series together
	maxNesting       = 32      // component depth
	maxTZObservances = 64
	maxTZTransitions = 2000
)

// expandTimeLimit bounds recurrence expansion, all series together. Only a
// hostile file reaches it; the step caps come first for any real one.
var expandTimeLimit = 2 * time.Second

// Parse reads an iCalendar file (RFC 5545) as real clients write it and
// returns the meetings overlapping opts' window. name is used only in the
// error. The only error is for data that is not a calendar at all (it wraps
// ErrNotCalendar); anything wrong inside a calendar is skipped or repaired
// and reported as a warning, and Parse never panics.
func Parse(name string, data []byte, opts Options) (res Result, err error) {
	if !opts.To.After(opts.From) {
		return Result{}, fmt.Errorf("%s: ics: the window's end (%v) must be after its start (%v)", name, opts.To, opts.From)
	}
	if opts.Zone == nil {
		opts.Zone = time.UTC
	}
	p := newParser(opts)
	defer func() {
		// A bug in this package or in a library must not take the import
		// down: say what happened instead. (Events and series have their own
		// recover, so this is the last line only.)
		if r := recover(); r != nil {
			p.warnf(0, "calendar read stopped early by an internal error: %v", r)
			res, err = p.result(), nil
		}
	}()

	text := decodeText(data)
	cals, found := p.scan(text)
	if !found {
		return Result{}, fmt.Errorf("%s: %w: %s", name, ErrNotCalendar, notCalendarReason(text))
	}
	var events []*vevent
	for _, cal := range cals {
		events = append(events, p.calendarEvents(cal)...)
	}
	p.meetings = p.build(events)
	return p.result(), nil
}

// result is what was found, the warnings in file order (those without a
// line last, in the order they were made) and the count of any left out.
func (p *parser) result() Result {
	slices.SortStableFunc(p.warnings, func(a, b Warning) int {
		switch {
		case a.Line == b.Line:
			return 0
		case a.Line == 0:
			return 1
		case b.Line == 0:
			return -1
		}
		return a.Line - b.Line
	})
	ws := p.warnings
	if p.dropped > 0 {
		ws = append(ws, Warning{Msg: fmt.Sprintf("too many warnings: %d more not listed", p.dropped)})
	}
	return Result{Meetings: p.meetings, Warnings: ws}
}

// parser holds the state of one Parse call.
type parser struct {
	opts     Options
	warnings []Warning
	dropped  int // warnings over maxWarnings
	budget   int // occurrences all series may still generate
	meetings []model.Meeting

	deadline  time.Time // for recurrence expansion
	overtimed bool
}

func newParser(opts Options) *parser {
	return &parser{opts: opts, budget: maxTotalSteps, deadline: time.Now().Add(expandTimeLimit)}
}

// overtime reports (and warns once) that recurrence expansion has used its
// time.
func (p *parser) overtime(line int) bool {
	if p.overtimed {
		return true
	}
	if time.Now().Before(p.deadline) {
		return false
	}
	p.overtimed = true
	p.warnf(line, "recurrences no longer expanded: the file takes more than %s to expand", expandTimeLimit)
	return true
}

func (p *parser) warnf(line int, format string, args ...any) {
	if len(p.warnings) >= maxWarnings {
		p.dropped++
		return
	}
	p.warnings = append(p.warnings, Warning{Line: line, Msg: safetext.Clean(fmt.Sprintf(format, args...))})
}

// notCalendarReason says in a few words what the data is instead.
func notCalendarReason(text string) string {
	trimmed := strings.TrimSpace(text)
	if trimmed == "" {
		return "the file is empty"
	}
	if strings.ContainsRune(trimmed, 0) {
		return "the file is binary, not text"
	}
	first := trimmed
	if i := strings.IndexAny(first, "\r\n"); i >= 0 {
		first = first[:i]
	}
	lower := strings.ToLower(first)
	if strings.HasPrefix(lower, "<!doctype html") || strings.HasPrefix(lower, "<html") {
		return "it is an HTML page (a login or error page instead of the calendar?)"
	}
	first = safetext.Clean(first)
	if r := []rune(first); len(r) > 40 {
		first = string(r[:40]) + "…"
	}
	return fmt.Sprintf("no BEGIN:VCALENDAR line (it starts with %q)", first)
}

// sortMeetings orders meetings by start, then UID, then instance: a total
// order on distinct keys, so the output does not depend on map order.
func sortMeetings(ms []model.Meeting) {
	slices.SortFunc(ms, func(a, b model.Meeting) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		if c := strings.Compare(a.UID, b.UID); c != 0 {
			return c
		}
		return a.Instance.Compare(b.Instance)
	})
}
