package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
	"github.com/partnertiers/partnertiers/store/config"
	"github.com/partnertiers/partnertiers/store/safetext"
)

func runShow(c *ctx, args []string) error {
	fs := c.flagSet("show", "NAME [--json]", "Print the lookup card of a partner: tier and since when, production against\nthis tier's and the next tier's thresholds, the gap in words, last tier moves.\nNAME is an id, a name, an alias, a domain, or a unique part of one.")
	asJSON := fs.Bool("json", false, "print the card as JSON")
	pos, err := c.parse(fs, args)
	if err != nil {
		return err
	}
	c.safeOutput()
	if len(pos) == 0 || strings.TrimSpace(strings.Join(pos, "")) == "" {
		return usagef("show: want a partner NAME")
	}
	cfg, st, err := c.open()
	if err != nil {
		return err
	}
	partner, err := resolvePartner(st, strings.Join(pos, " "))
	if err != nil {
		return err
	}
	series, err := st.Series(partner.ID)
	if err != nil {
		return err
	}
	history, err := st.History(partner.ID)
	if err != nil {
		return err
	}
	periods, err := st.Periods()
	if err != nil {
		return err
	}
	cd := buildCard(cfg.Program, &partner, series, history, c.currentPeriod(cfg.Program, periods))
	if cd.LastWeek, err = lastWeekHours(c, cfg, st, &partner); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(c.env.Stdout, cd)
	}
	cd.writeText(c.env.Stdout)
	return nil
}

// resolvePartner finds the one partner a query names, or explains why not:
// the closest names when nothing matched, the matches when several did.
func resolvePartner(st *store.Store, query string) (model.Partner, error) {
	r, err := st.Lookup(query)
	if err != nil {
		return model.Partner{}, err
	}
	switch len(r.Matches) {
	case 1:
		return st.Partner(r.Matches[0].ID)
	case 0:
		msg := fmt.Sprintf("no partner matches %q", store.CleanText(query))
		if len(r.Suggestions) > 0 {
			names := make([]string, len(r.Suggestions))
			for i, s := range r.Suggestions {
				names[i] = fmt.Sprintf("%s (%s)", store.CleanText(s.Name), s.ID)
			}
			msg += "; did you mean " + strings.Join(names, ", ") + "?"
		}
		return model.Partner{}, errors.New(msg)
	}
	lines := make([]string, 0, 10)
	for i, m := range r.Matches {
		if i == 10 {
			lines = append(lines, fmt.Sprintf("  … and %d more", len(r.Matches)-10))
			break
		}
		lines = append(lines, fmt.Sprintf("  %-28s %s", m.ID, store.CleanText(m.Name)))
	}
	return model.Partner{}, fmt.Errorf("%q matches %d partners; say which:\n%s", store.CleanText(query), len(r.Matches), strings.Join(lines, "\n"))
}

// card is the lookup card: what a partner manager needs during a call.
type card struct {
	ID        string          `json:"id"`
	Name      string          `json:"name"`
	Tier      string          `json:"tier"`
	TierName  string          `json:"tier_name"`
	TierSince string          `json:"tier_since,omitempty"`
	Track     string          `json:"track"`
	Manager   string          `json:"manager"`
	Domains   []string        `json:"domains"`
	Aliases   []string        `json:"aliases"`
	Period    string          `json:"period"`
	Window    []string        `json:"window"`
	Earned    string          `json:"earned"`
	Standing  string          `json:"standing"`
	Criteria  []criterionJSON `json:"criteria"`
	NextTier  *nextTierJSON   `json:"next_tier"`
	History   []historyJSON   `json:"history"`
	LastWeek  *weekJSON       `json:"last_week"` // null without a calendar that week

	program *model.Program
}

type weekJSON struct {
	Week           string        `json:"week"`
	Hours          float64       `json:"hours"`
	AllocatedHours float64       `json:"allocated_hours"`
	Meetings       int           `json:"meetings"`
	Attended       []meetingJSON `json:"attended"` // the meetings that counted, oldest first
}

type meetingJSON struct {
	Start   time.Time `json:"start"`
	Summary string    `json:"summary"`
	Hours   float64   `json:"hours"`   // inside the week, before a split
	Sharing int       `json:"sharing"` // partners the meeting matched
}

type criterionJSON struct {
	Metric string  `json:"metric"`
	Label  string  `json:"label"`
	Value  float64 `json:"value"`
	Min    float64 `json:"min"`
	Met    bool    `json:"met"`
	Gap    float64 `json:"gap"`
	AnyOf  bool    `json:"any_of,omitempty"`
}

type nextTierJSON struct {
	Key      string          `json:"key"`
	Name     string          `json:"name"`
	Met      bool            `json:"met"`
	Gap      string          `json:"gap"`
	Criteria []criterionJSON `json:"criteria"`
}

type historyJSON struct {
	At       string `json:"at"`
	Period   string `json:"period"`
	From     string `json:"from"`
	To       string `json:"to"`
	Reason   string `json:"reason"`
	Override bool   `json:"override,omitempty"`
	By       string `json:"by,omitempty"`
}

func buildCard(p *model.Program, pa *model.Partner, s model.Series, hs []model.History, period model.Period) card {
	ev := model.Evaluate(p, pa, s, period)
	cd := card{
		ID: pa.ID, Name: pa.Name, Tier: pa.Tier, TierName: p.TierName(pa.Tier),
		Track: pa.Track, Manager: pa.Manager, Domains: nonNil(pa.Domains), Aliases: nonNil(pa.Aliases),
		Period: period.String(), Earned: ev.Earned, Standing: model.Standing(p, ev),
		Criteria: criteriaJSON(p, ev.CurrentCheck()), History: []historyJSON{}, program: p,
	}
	if !pa.TierSince.IsZero() {
		cd.TierSince = pa.TierSince.Format(time.DateOnly)
	}
	for _, w := range period.Window(p.Window) {
		cd.Window = append(cd.Window, w.String())
	}
	if next, ok := ev.NextCheck(p); ok {
		cd.NextTier = &nextTierJSON{Key: next.Tier, Name: p.TierName(next.Tier), Met: next.Met,
			Gap: model.GapSentence(p, next), Criteria: criteriaJSON(p, next)}
	}
	for i := len(hs) - 1; i >= 0; i-- {
		h := hs[i]
		cd.History = append(cd.History, historyJSON{At: h.At.Format(time.DateOnly), Period: h.Period.String(),
			From: h.From, To: h.To, Reason: h.Reason, Override: h.Override, By: h.By})
	}
	return cd
}

func criteriaJSON(p *model.Program, c model.TierCheck) []criterionJSON {
	out := make([]criterionJSON, 0, len(c.Evidence))
	for _, e := range c.Evidence {
		m, _ := p.Metric(e.Metric)
		out = append(out, criterionJSON{Metric: e.Metric, Label: m.Label, Value: e.Value, Min: e.Min, Met: e.Met, Gap: e.Gap, AnyOf: e.Any})
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writeText prints the card for people, within 80 columns.
func (cd card) writeText(w io.Writer) {
	p := cd.program
	clean := store.CleanText
	head := fmt.Sprintf("%s · %s", clean(cd.Name), cd.TierName)
	if cd.TierSince != "" {
		head += " since " + cd.TierSince
	}
	fmt.Fprintln(w, head)
	track := cd.Track
	if t, ok := p.Track(cd.Track); ok {
		track = t.Name
	}
	facts := []string{track, clean(cd.Manager)}
	if len(cd.Domains) > 0 {
		facts = append(facts, clean(strings.Join(cd.Domains, ", ")))
	}
	if len(cd.Aliases) > 0 {
		facts = append(facts, "also "+clean(strings.Join(cd.Aliases, ", ")))
	}
	fmt.Fprintln(w, strings.Join(slices.DeleteFunc(facts, func(s string) bool { return s == "" }), " · "))
	fmt.Fprintf(w, "%s, production over %s\n\n", cd.Period, strings.Join(cd.Window, " to "))

	cd.writeTable(w)

	fmt.Fprintln(w)
	fmt.Fprintln(w, cd.Standing)
	next := cd.TierName + " is the top tier."
	if p.TierIndex(cd.Tier) < 0 {
		next = "A review places it in the tier its production earns."
	}
	if cd.NextTier != nil {
		next = "Next: " + cd.NextTier.Gap + "."
		if cd.NextTier.Met {
			next = "Next: already earns " + cd.NextTier.Name + "."
		}
	}
	for _, line := range wrap(next, 78) {
		fmt.Fprintln(w, line)
	}
	if lw := cd.LastWeek; lw != nil {
		fmt.Fprintf(w, "Last week (%s): %s h of manager time against %s h allocated.\n", lw.Week,
			model.FormatValue(model.Count, lw.Hours), model.FormatValue(model.Count, lw.AllocatedHours))
		for _, m := range lw.Attended {
			line := fmt.Sprintf("  %-16s %4s h  %s", m.Start.Format("Mon 2 Jan 15:04"), model.FormatHours(m.Hours), store.CleanText(m.Summary))
			if m.Sharing > 1 {
				line += fmt.Sprintf(" (shared by %d partners)", m.Sharing)
			}
			fmt.Fprintln(w, line)
		}
	}
	if t, ok := p.Tier(cd.Tier); ok {
		a := t.Allocation
		fmt.Fprintf(w, "%s buys %s h/wk of manager time, %s MDF a period, %s%% margin.\n",
			t.Name, model.FormatValue(model.Count, a.HoursPerWeek), model.FormatValue(model.Money, a.MDFPerPeriod), model.FormatValue(model.Count, a.MarginPercent))
	}

	fmt.Fprintln(w)
	if len(cd.History) == 0 {
		fmt.Fprintln(w, "No tier moves on record.")
		return
	}
	fmt.Fprintln(w, "Last moves")
	for i, h := range cd.History {
		if i == 5 {
			fmt.Fprintf(w, "  … %d earlier\n", len(cd.History)-5)
			break
		}
		from := p.TierName(h.From)
		if h.From == "" {
			from = "joined"
		}
		reason := clean(h.Reason)
		if h.Override {
			reason = "override: " + reason
		}
		fmt.Fprintf(w, "  %s  %s → %s (%s)\n", h.At, from, p.TierName(h.To), h.Period)
		for _, line := range wrap(reason, 72) {
			fmt.Fprintf(w, "      %s\n", line)
		}
	}
}

// writeTable prints each criterion metric against this tier's and the next
// tier's minimum.
func (cd card) writeTable(w io.Writer) {
	p := cd.program
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := []string{"", "value"}
	cur := map[string]criterionJSON{}
	next := map[string]criterionJSON{}
	if len(cd.Criteria) > 0 {
		header = append(header, cd.TierName+" min", "")
	}
	for _, c := range cd.Criteria {
		cur[c.Metric] = c
	}
	if cd.NextTier != nil {
		header = append(header, cd.NextTier.Name+" min", "gap")
		for _, c := range cd.NextTier.Criteria {
			next[c.Metric] = c
		}
	}
	// tabwriter aligns every column right; padding the labels to one
	// width keeps them reading left-aligned.
	labels := map[string]string{}
	width := 0
	for _, m := range p.Metrics {
		c, inCur := cur[m.Key]
		n, inNext := next[m.Key]
		if !inCur && !inNext {
			continue
		}
		label := m.Label
		if (inCur && c.AnyOf) || (inNext && n.AnyOf) {
			label += " (any)"
		}
		labels[m.Key] = label
		width = max(width, len([]rune(label)))
	}
	header[0] = strings.Repeat(" ", width)
	fmt.Fprintln(tw, strings.Join(header, "\t")+"\t")
	for _, m := range p.Metrics {
		c, inCur := cur[m.Key]
		n, inNext := next[m.Key]
		if !inCur && !inNext {
			continue
		}
		label := labels[m.Key]
		label += strings.Repeat(" ", width-len([]rune(label)))
		value := n.Value
		if inCur {
			value = c.Value
		}
		row := []string{label, model.FormatValue(m.Unit, value)}
		if len(cd.Criteria) > 0 {
			row = append(row, cell(inCur, m.Unit, c.Min), mark(inCur, c.Met))
		}
		if cd.NextTier != nil {
			gap := ""
			if inNext && !n.Met {
				gap = model.FormatValue(m.Unit, n.Gap)
			}
			row = append(row, cell(inNext, m.Unit, n.Min), gap)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	tw.Flush()
}

func cell(ok bool, u model.Unit, v float64) string {
	if !ok {
		return "–"
	}
	return model.FormatValue(u, v)
}

func mark(ok, met bool) string {
	switch {
	case !ok:
		return ""
	case met:
		return "met"
	}
	return "missed"
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// writeJSON writes v as indented JSON. encoding/json escapes C0 controls
// but writes DEL, C1 controls and bidi controls as they are: those are
// escaped too (U+009B as \u009b), so the JSON holds the very same strings
// and is safe to print on a terminal.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(escapeUnsafe(buf.Bytes()))
	return err
}

// escapeUnsafe writes every rune of JSON text that safetext.Unsafe reports
// as a \u escape. Outside strings JSON is plain ASCII, so only strings
// change, and only in how they are written.
func escapeUnsafe(js []byte) []byte {
	var out []byte
	done := 0
	for i := 0; i < len(js); {
		r, size := utf8.DecodeRune(js[i:])
		if r >= utf8.RuneSelf && safetext.Unsafe(r) || r == 0x7f {
			if out == nil {
				out = make([]byte, 0, len(js)+32)
			}
			out = append(out, js[done:i]...)
			out = fmt.Appendf(out, `\u%04x`, r)
			done = i + size
		}
		i += size
	}
	if out == nil {
		return js
	}
	return append(out, js[done:]...)
}

// safeOutput passes the command's output through safetext.Print: whatever
// text from a file a report forgot to clean, no escape or control of it
// reaches the terminal. JSON is escaped before (writeJSON), so it passes
// unchanged.
func (c *ctx) safeOutput() {
	c.env.Stdout = safetext.NewWriter(c.env.Stdout)
	c.env.Stderr = safetext.NewWriter(c.env.Stderr)
}

// wrap breaks text into lines of at most width runes, at spaces.
func wrap(s string, width int) []string {
	var lines []string
	var cur []rune
	for _, word := range strings.Fields(s) {
		w := []rune(word)
		if len(cur) > 0 && len(cur)+1+len(w) > width {
			lines = append(lines, string(cur))
			cur = cur[:0]
		}
		if len(cur) > 0 {
			cur = append(cur, ' ')
		}
		cur = append(cur, w...)
	}
	if len(cur) > 0 {
		lines = append(lines, string(cur))
	}
	return lines
}

// lastWeekHours counts the partner's share of last week's calendar, the
// way align does. Nil when the store holds no meetings that week, so a
// store without a calendar pays nothing for it.
func lastWeekHours(c *ctx, cfg *config.Config, st *store.Store, pa *model.Partner) (*weekJSON, error) {
	week := model.LastWeek(c.now(), cfg.Calendar.Zone)
	// Matching needs every partner's names and domains, not whole records.
	partners := func() ([]model.Partner, error) {
		entries, err := st.NameEntries()
		ps := make([]model.Partner, len(entries))
		for i, e := range entries {
			ps[i] = model.Partner{ID: e.ID, Name: e.Name, Aliases: e.Aliases, Domains: e.Domains, Exited: e.Exited}
		}
		return ps, err
	}
	wh, meetings, err := store.CountWeek(st, cfg.Calendar, week, partners)
	if err != nil || meetings == 0 {
		return nil, err
	}
	lw := &weekJSON{Week: week.String(), Hours: round2(wh.Hours[pa.ID]), Meetings: wh.Meetings[pa.ID], Attended: []meetingJSON{}}
	zone := cfg.Calendar.Zone
	if zone == nil {
		zone = time.UTC // as CountWeek reads the week
	}
	for _, m := range wh.Attended[pa.ID] {
		lw.Attended = append(lw.Attended, meetingJSON{Start: m.Start.In(zone), Summary: m.Summary, Hours: round2(m.Hours), Sharing: m.Sharing})
	}
	if t, ok := cfg.Program.Tier(pa.Tier); ok {
		lw.AllocatedHours = t.Allocation.HoursPerWeek
	}
	return lw, nil
}
