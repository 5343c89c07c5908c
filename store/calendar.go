package store

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store/config"
	"github.com/partnertiers/partnertiers/store/ics"
	"github.com/partnertiers/partnertiers/store/safetext"
)

// KindCalendar marks calendar imports in the import log.
const KindCalendar = "calendar"

// bucketMeetings: meeting key (model.Meeting.Key) → JSON meeting. Created
// by the first calendar import; reads treat its absence as no meetings.
var bucketMeetings = []byte("meetings")

// Meetings are kept from calendarPast before the import to calendarAhead
// after it: enough weeks to look back on, and recurrences never expanded
// without end.
const (
	CalendarWeeksBack  = 26
	CalendarWeeksAhead = 2
	calendarPast       = CalendarWeeksBack * 7 * 24 * time.Hour
	calendarAhead      = CalendarWeeksAhead * 7 * 24 * time.Hour
)

// CalendarOptions localise a calendar import.
type CalendarOptions struct {
	Zone *time.Location // the configured zone: floating times and unknown TZIDs
	Now  time.Time      // the window is built around it; zero means the store's clock
}

// CalendarReport says what a calendar import did.
type CalendarReport struct {
	File            string
	Meetings        int // occurrences read inside the window
	Written         int // new ones, or newer versions (a higher SEQUENCE)
	AlreadyImported bool
	Warnings        []ics.Warning
	From, To        time.Time // the window meetings were kept from
}

// ImportCalendar reads an .ics and stores its meetings in one transaction.
// The same occurrence from several files is stored once, the highest
// SEQUENCE winning; importing the same content again is a no-op.
func (s *Store) ImportCalendar(name string, data []byte, opts CalendarOptions) (CalendarReport, error) {
	name = safetext.Clean(name)
	rep := CalendarReport{File: name}
	now := opts.Now
	if now.IsZero() {
		now = s.opts.Now()
	}
	// The same bytes are a repeat only within one week: a week later the
	// window has moved on, and an open-ended series has new occurrences.
	hash := contentHash(data) + "@" + model.WeekOf(now, time.UTC).String()
	var prior ImportReport
	if done, err := s.alreadyImported(&prior, hash, KindCalendar); done || err != nil {
		rep.AlreadyImported, rep.Meetings = done, prior.Rows
		return rep, err
	}
	rep.From, rep.To = now.Add(-calendarPast), now.Add(calendarAhead)
	res, err := ics.Parse(name, data, ics.Options{From: rep.From, To: rep.To, Zone: opts.Zone})
	if err != nil {
		return rep, err
	}
	rep.Meetings, rep.Warnings = len(res.Meetings), res.Warnings
	err = s.update(func(tx *bolt.Tx) error {
		if r, ok := priorImport(tx, hash, KindCalendar); ok {
			rep.AlreadyImported, rep.Meetings = true, r.Rows
			return errNoChange
		}
		b, err := tx.CreateBucketIfNotExists(bucketMeetings)
		if err != nil {
			return err
		}
		if err := dropSuperseded(b, res.Meetings, rep.From, rep.To); err != nil {
			return err
		}
		for _, m := range res.Meetings {
			key := []byte(m.Key())
			v, err := json.Marshal(m)
			if err != nil {
				return err
			}
			if old := b.Get(key); old != nil {
				var prev model.Meeting
				if bytes.Equal(old, v) || json.Unmarshal(old, &prev) == nil && prev.Sequence > m.Sequence {
					continue
				}
			}
			if err := b.Put(key, v); err != nil {
				return err
			}
			rep.Written++
		}
		return logImport(tx, hash, ImportRecord{File: name, Kind: KindCalendar, At: now, Rows: len(res.Meetings), Written: rep.Written})
	})
	if err != nil {
		return rep, fmt.Errorf("import %s: %w", name, err)
	}
	return rep, nil
}

// dropSuperseded deletes the stored occurrences of the file's events that
// the file no longer has: a series moved to another day (its instances
// get new keys), an occurrence excepted or removed since. The file speaks
// for the UIDs it holds, inside the window it was read for, and only over
// versions no newer than its own; events it does not mention stay (they
// may come from another calendar).
func dropSuperseded(b *bolt.Bucket, meetings []model.Meeting, from, to time.Time) error {
	seq := map[string]int{} // UID → the file's highest SEQUENCE for it
	keep := make(map[string]bool, len(meetings))
	for _, m := range meetings {
		seq[m.UID] = max(seq[m.UID], m.Sequence)
		keep[m.Key()] = true
	}
	var drop [][]byte
	err := b.ForEach(func(k, v []byte) error {
		if keep[string(k)] {
			return nil
		}
		var m model.Meeting
		if json.Unmarshal(v, &m) != nil {
			return nil
		}
		if fileSeq, ok := seq[m.UID]; ok && m.Sequence <= fileSeq && !m.Start.Before(from) && m.Start.Before(to) {
			drop = append(drop, slices.Clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range drop {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// Meetings reads the stored meetings overlapping [from, to), by start.
func (s *Store) Meetings(from, to time.Time) ([]model.Meeting, error) {
	var out []model.Meeting
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMeetings)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var m model.Meeting
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("meeting %q: %w", k, err)
			}
			if m.Start.Before(to) && m.End.After(from) {
				out = append(out, m)
			}
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b model.Meeting) int {
		return cmp.Or(a.Start.Compare(b.Start), strings.Compare(a.Summary, b.Summary), strings.Compare(a.Key(), b.Key()))
	})
	return out, err
}

// AssignMeeting remembers that a meeting belongs to a partner, so later
// imports and the current week match it: the domain of its first attendee
// outside the team becomes one of the partner's domains or, with no such
// attendee, its summary becomes an alias. It returns what was learned.
func (s *Store) AssignMeeting(key, partnerID string, internalDomains []string) (string, error) {
	var learned string
	err := s.update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMeetings)
		var raw []byte
		if b != nil {
			raw = b.Get([]byte(key))
		}
		if raw == nil {
			return fmt.Errorf("meeting %q: %w", key, ErrNotFound)
		}
		var m model.Meeting
		if err := json.Unmarshal(raw, &m); err != nil {
			return err
		}
		p, err := getPartner(tx, partnerID)
		if err != nil {
			return err
		}
		if d := m.ExternalDomain(internalDomains); d != "" {
			if !slices.Contains(p.Domains, d) {
				p.Domains = append(p.Domains, d)
			}
			learned = "domain " + d
		} else {
			alias := strings.TrimSpace(safetext.Clean(m.Summary))
			if alias == "" {
				return fmt.Errorf("meeting %q has no attendee outside the team and no summary to learn from", key)
			}
			if !slices.ContainsFunc(p.Aliases, func(a string) bool { return strings.EqualFold(a, alias) }) {
				p.Aliases = append(p.Aliases, alias)
			}
			learned = "alias " + alias
		}
		return putPartners(tx, []model.Partner{p})
	})
	if err != nil {
		return "", fmt.Errorf("assign meeting: %w", err)
	}
	return learned, nil
}

// MeetingSource is where a week's meetings come from: the store, or a
// test's stand-in.
type MeetingSource interface {
	Meetings(from, to time.Time) ([]model.Meeting, error)
}

// CountWeek reads a week's meetings and counts them against the partners
// the one way every view does (the calendar's zone, its owner's declines,
// the team's own domains). partners is called only when the week has
// meetings, so a store without a calendar pays nothing for it. It also
// returns how many meetings the week holds.
func CountWeek(src MeetingSource, cal config.Calendar, week model.Week, partners func() ([]model.Partner, error)) (model.WeekHours, int, error) {
	zone := cal.Zone
	if zone == nil {
		zone = time.UTC
	}
	ms, err := src.Meetings(week.Start(zone), week.End(zone))
	if err != nil || len(ms) == 0 {
		return model.WeekHours{Week: week, Hours: map[string]float64{}, Meetings: map[string]int{}, Attended: map[string][]model.Attended{}}, 0, err
	}
	ps, err := partners()
	if err != nil {
		return model.WeekHours{}, 0, err
	}
	return model.CountWeek(ms, week, zone, cal.Owner, model.NewMatcher(ps, cal.Internal)), len(ms), nil
}
