package model

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Matcher assigns meetings to partners: by an attendee's email domain
// first, then by a partner's name or alias standing in the summary as
// whole words, case ignored.
type Matcher struct {
	byDomain map[string][]string    // partner domain → ids
	byWord   map[string][]nameWords // first word of a name or alias → candidates
	internal []string               // the team's own domains
}

type nameWords struct {
	id    string
	words []string
}

// NewMatcher indexes the active partners' domains, names and aliases.
func NewMatcher(partners []Partner, internalDomains []string) *Matcher {
	m := &Matcher{byDomain: map[string][]string{}, byWord: map[string][]nameWords{}}
	for _, d := range internalDomains {
		m.internal = append(m.internal, strings.ToLower(strings.TrimSpace(d)))
	}
	for _, p := range partners {
		if !p.Active() {
			continue
		}
		for _, d := range p.Domains {
			d = strings.ToLower(d)
			if !slices.Contains(m.byDomain[d], p.ID) {
				m.byDomain[d] = append(m.byDomain[d], p.ID)
			}
		}
		for _, n := range slices.Concat([]string{p.Name}, p.Aliases) {
			if w := words(n); len(w) > 0 {
				m.byWord[w[0]] = append(m.byWord[w[0]], nameWords{p.ID, w})
			}
		}
	}
	return m
}

// words splits text into lower-case runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// inDomain reports whether an email's domain is d or under it.
func inDomain(email, d string) bool {
	_, host, ok := strings.Cut(strings.ToLower(email), "@")
	return ok && (host == d || strings.HasSuffix(host, "."+d))
}

// ExternalDomain is the email domain of the meeting's first attendee
// outside the team's internal domains: what assigning the meeting to a
// partner teaches. "" when every attendee is on the team.
func (mt Meeting) ExternalDomain(internal []string) string {
	for _, a := range mt.Attendees {
		_, host, ok := strings.Cut(strings.ToLower(a.Email), "@")
		if !ok || host == "" {
			continue
		}
		team := false
		for _, d := range internal {
			team = team || inDomain(a.Email, strings.ToLower(strings.TrimSpace(d)))
		}
		if !team {
			return host
		}
	}
	return ""
}

// Match returns the partners a meeting belongs to. internal is true when
// it matched no partner and every attendee is on the team: such meetings
// are neither partner time nor unmatched.
func (m *Matcher) Match(mt Meeting) (ids []string, internal bool) {
	internal = true
	for _, a := range mt.Attendees {
		if m.isInternal(a.Email) {
			continue
		}
		internal = false
		_, host, _ := strings.Cut(a.Email, "@")
		for d := host; d != ""; {
			for _, id := range m.byDomain[d] {
				if !slices.Contains(ids, id) {
					ids = append(ids, id)
				}
			}
			_, rest, ok := strings.Cut(d, ".")
			if !ok {
				break
			}
			d = rest
		}
	}
	if len(ids) > 0 {
		return ids, false
	}
	ws := words(mt.Summary)
	for i, w := range ws {
		for _, cand := range m.byWord[w] {
			if i+len(cand.words) <= len(ws) && slices.Equal(ws[i:i+len(cand.words)], cand.words) && !slices.Contains(ids, cand.id) {
				ids = append(ids, cand.id)
			}
		}
	}
	if len(ids) > 0 {
		return ids, false
	}
	return nil, internal
}

func (m *Matcher) isInternal(email string) bool {
	for _, d := range m.internal {
		if inDomain(email, d) {
			return true
		}
	}
	return false
}

// Counts reports whether a meeting is time spent: not all-day, cancelled,
// free, or declined by the calendar's owner.
func Counts(mt Meeting, owner string) bool {
	return !mt.AllDay && mt.Status != "CANCELLED" && !mt.Transparent && (owner == "" || !mt.DeclinedBy(owner)) && mt.End.After(mt.Start)
}

// Unmatched is a meeting that counts but matched no partner.
type Unmatched struct {
	Meeting Meeting
	Hours   float64 // inside the week
}

// WeekHours is a week of the calendar counted against partners.
type WeekHours struct {
	Week      Week
	Hours     map[string]float64 // by partner id
	Meetings  map[string]int     // meetings that counted, by partner id
	Unmatched []Unmatched        // oldest first
	// Attended lists, by partner id, the meetings that counted for it,
	// oldest first: what its hours are made of.
	Attended map[string][]Attended
}

// Attended is one meeting that counted for a partner: its time inside the
// week, and how many partners shared it (its hours are split between them).
type Attended struct {
	Start   time.Time
	Summary string
	Hours   float64 // inside the week, before any split
	Sharing int     // partners the meeting matched
}

// CountWeek adds up each partner's hours in the week, in loc: a meeting
// counts only for its part inside the week; a meeting with several
// partners is split evenly; overlapping meetings with the same partner are
// not counted twice. The same occurrence seen twice (by Key) counts once,
// the highest Sequence winning.
func CountWeek(meetings []Meeting, week Week, loc *time.Location, owner string, m *Matcher) WeekHours {
	ws, we := week.Start(loc), week.End(loc)
	out := WeekHours{Week: week, Hours: map[string]float64{}, Meetings: map[string]int{}, Attended: map[string][]Attended{}}
	latest := map[string]int{}
	for i, mt := range meetings {
		if j, ok := latest[mt.Key()]; !ok || mt.Sequence > meetings[j].Sequence {
			latest[mt.Key()] = i
		}
	}
	type segment struct {
		from, to time.Time
		share    float64
	}
	segs := map[string][]segment{}
	for i, mt := range meetings {
		if latest[mt.Key()] != i || !Counts(mt, owner) {
			continue
		}
		from, to := maxTime(mt.Start, ws), minTime(mt.End, we)
		if !to.After(from) {
			continue
		}
		ids, internal := m.Match(mt)
		switch {
		case len(ids) > 0:
			for _, id := range ids {
				segs[id] = append(segs[id], segment{from, to, 1 / float64(len(ids))})
				out.Meetings[id]++
				out.Attended[id] = append(out.Attended[id], Attended{Start: mt.Start, Summary: mt.Summary, Hours: to.Sub(from).Hours(), Sharing: len(ids)})
			}
		case !internal:
			out.Unmatched = append(out.Unmatched, Unmatched{Meeting: mt, Hours: to.Sub(from).Hours()})
		}
	}
	for id, ss := range segs {
		// Sweep the partner's segments: at each moment it is credited with
		// the largest share of the meetings under way, never their sum.
		var cuts []time.Time
		for _, s := range ss {
			cuts = append(cuts, s.from, s.to)
		}
		slices.SortFunc(cuts, func(a, b time.Time) int { return a.Compare(b) })
		cuts = slices.CompactFunc(cuts, func(a, b time.Time) bool { return a.Equal(b) })
		total := 0.0
		for k := 0; k+1 < len(cuts); k++ {
			a, b := cuts[k], cuts[k+1]
			rate := 0.0
			for _, s := range ss {
				if !s.from.After(a) && !s.to.Before(b) {
					rate = max(rate, s.share)
				}
			}
			total += rate * b.Sub(a).Hours()
		}
		out.Hours[id] = total
	}
	for _, list := range out.Attended {
		slices.SortFunc(list, func(a, b Attended) int { return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Summary, b.Summary)) })
	}
	slices.SortFunc(out.Unmatched, func(a, b Unmatched) int {
		return cmp.Or(a.Meeting.Start.Compare(b.Meeting.Start), cmp.Compare(a.Meeting.Summary, b.Meeting.Summary))
	})
	return out
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
