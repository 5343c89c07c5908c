package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/partnertiers/partnertiers/model"
	"github.com/partnertiers/partnertiers/store"
	"github.com/partnertiers/partnertiers/store/config"
)

// scorecard is what a partner may see: its tier and what that buys, its
// production against the next tier's thresholds (the top tier's own, to
// keep it), the gap in words, and when it is next reviewed. Nothing
// internal: no manager notes, no override reasons.
type scorecard struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Program    string          `json:"program"`
	Tier       string          `json:"tier"`
	TierName   string          `json:"tier_name"`
	TierSince  string          `json:"tier_since,omitempty"`
	Gives      scorecardGives  `json:"gives"`
	Period     string          `json:"period"`
	Window     []string        `json:"window"`
	Target     string          `json:"target"`      // the tier measured against
	TargetName string          `json:"target_name"` // its display name
	Keeping    bool            `json:"keeping"`     // the top tier: measured to keep it
	Met        bool            `json:"met"`
	Gap        string          `json:"gap"`
	Criteria   []criterionJSON `json:"criteria"`
	NextReview string          `json:"next_review"`

	units map[string]model.Unit
}

type scorecardGives struct {
	HoursPerWeek    float64  `json:"hours_per_week"`
	MDFPerPeriod    float64  `json:"mdf_per_period"`
	DealRegPriority int      `json:"deal_reg_priority"`
	MarginPercent   float64  `json:"margin_percent"`
	Benefits        []string `json:"benefits"`
}

func buildScorecard(p *model.Program, pa *model.Partner, s model.Series, period model.Period, now time.Time) scorecard {
	ev := model.Evaluate(p, pa, s, period)
	sc := scorecard{ID: pa.ID, Name: pa.Name, Program: p.Name, Tier: pa.Tier, TierName: p.TierName(pa.Tier),
		Period: period.String(), units: map[string]model.Unit{}}
	if !pa.TierSince.IsZero() {
		sc.TierSince = pa.TierSince.Format(time.DateOnly)
	}
	if t, ok := p.Tier(pa.Tier); ok {
		a := t.Allocation
		sc.Gives = scorecardGives{a.HoursPerWeek, a.MDFPerPeriod, a.DealRegPriority, a.MarginPercent, nonNil(a.Benefits)}
	}
	for _, w := range period.Window(p.Window) {
		sc.Window = append(sc.Window, w.String())
	}
	check, ok := ev.NextCheck(p)
	switch {
	case p.TierIndex(ev.Earned) > p.TierIndex(pa.Tier)+1:
		// Production already earns more than the next step: show that.
		check, _ = ev.Check(ev.Earned)
	case !ok:
		check, sc.Keeping = ev.CurrentCheck(), true
	}
	sc.Target, sc.TargetName, sc.Met = check.Tier, p.TierName(check.Tier), check.Met
	sc.Gap = model.GapSentence(p, check)
	sc.Criteria = criteriaJSON(p, check)
	for _, m := range p.Metrics {
		sc.units[m.Key] = m.Unit
	}
	next := model.PeriodOf(now, p.Cadence)
	sc.NextReview = fmt.Sprintf("the %s review, after %s", next, next.End().AddDate(0, 0, -1).Format("2 January 2006"))
	return sc
}

// markdown is the scorecard as a document to send the partner.
func (sc scorecard) markdown(w io.Writer) {
	esc := strings.NewReplacer("|", `\|`, "*", `\*`, "_", `\_`, "#", `\#`, "<", "&lt;", ">", "&gt;")
	name := esc.Replace(store.CleanText(sc.Name))
	fmt.Fprintf(w, "# %s: %s partner\n\n", name, sc.TierName)
	since := ""
	if sc.TierSince != "" {
		since = " · " + sc.TierName + " since " + sc.TierSince
	}
	fmt.Fprintf(w, "%s · scorecard for %s%s\n\n", esc.Replace(sc.Program), sc.Period, since)
	fmt.Fprintf(w, "## What %s gives you\n\n", sc.TierName)
	g := sc.Gives
	if g.HoursPerWeek > 0 {
		unit := "hours"
		if g.HoursPerWeek == 1 {
			unit = "hour"
		}
		fmt.Fprintf(w, "- %s %s a week with your partner manager\n", model.FormatValue(model.Count, g.HoursPerWeek), unit)
	}
	if g.MDFPerPeriod > 0 {
		fmt.Fprintf(w, "- %s in market development funds each period\n", model.FormatValue(model.Money, g.MDFPerPeriod))
	}
	if g.DealRegPriority > 0 {
		fmt.Fprintf(w, "- Deal registration priority %d\n", g.DealRegPriority)
	}
	if g.MarginPercent > 0 {
		fmt.Fprintf(w, "- %s%% margin\n", model.FormatValue(model.Count, g.MarginPercent))
	}
	for _, b := range g.Benefits {
		fmt.Fprintf(w, "- %s\n", esc.Replace(store.CleanText(b)))
	}
	what := "To reach " + sc.TargetName
	if sc.Keeping {
		what = "To keep " + sc.TargetName
	}
	fmt.Fprintf(w, "\n## %s\n\nYour production from %s to %s:\n\n", what, sc.Window[0], sc.Window[len(sc.Window)-1])
	fmt.Fprintf(w, "| | Yours | %s needs | |\n|---|---:|---:|---|\n", sc.TargetName)
	for _, c := range sc.Criteria {
		u := sc.units[c.Metric]
		label := c.Label
		if c.AnyOf {
			label += " (one of these)"
		}
		status := "✓"
		if !c.Met {
			status = model.FormatValue(u, c.Gap) + " to go"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", label, model.FormatValue(u, c.Value), model.FormatValue(u, c.Min), status)
	}
	switch {
	case sc.Met && sc.Keeping:
		fmt.Fprintf(w, "\nYour production keeps %s.\n", sc.TargetName)
	case sc.Met:
		fmt.Fprintf(w, "\nYour production earns %s: the next review proposes the move.\n", sc.TargetName)
	default:
		fmt.Fprintf(w, "\nYou need %s.\n", strings.TrimPrefix(sc.Gap, "needs "))
	}
	fmt.Fprintf(w, "\nNext review: %s.\n", sc.NextReview)
}

// exportScorecards writes every active partner's scorecard, or one's.
func (c *ctx) exportScorecards(cfg *config.Config, st *store.Store, format, out, partner string) error {
	p := cfg.Program
	periods, err := st.Periods()
	if err != nil {
		return err
	}
	period := c.currentPeriod(p, periods)
	var partners []model.Partner
	if partner != "" {
		pa, err := resolvePartner(st, partner)
		if err != nil {
			return err
		}
		partners = []model.Partner{pa}
	} else if partners, err = st.Partners(); err != nil {
		return err
	}
	if partner != "" && len(partners) == 1 && partners[0].Exited {
		return fmt.Errorf("export scorecards: %s has left the program: it has no scorecard", store.CleanText(partners[0].Name))
	}
	cards := []scorecard{} // an empty program exports [], not null
	for i := range partners {
		if !partners[i].Active() {
			continue
		}
		s, err := st.Series(partners[i].ID)
		if err != nil {
			return err
		}
		cards = append(cards, buildScorecard(p, &partners[i], s, period, c.now()))
	}
	switch format {
	case "json":
		return c.writeOut(out, func(w io.Writer) error { return writeJSON(w, cards) })
	case "csv":
		// Through the one table writer: formulas guarded, numbers plain.
		t := table{header: []string{"id", "name", "tier", "hours_per_week", "mdf_per_period", "margin_percent", "measured_against", "met", "gap", "next_review"},
			numbers: []string{"hours_per_week", "mdf_per_period", "margin_percent"}, bools: []string{"met"}}
		num := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
		for _, sc := range cards {
			t.rows = append(t.rows, []string{sc.ID, sc.Name, sc.Tier, num(sc.Gives.HoursPerWeek), num(sc.Gives.MDFPerPeriod),
				num(sc.Gives.MarginPercent), sc.Target, strconv.FormatBool(sc.Met), sc.Gap, sc.NextReview})
		}
		return c.writeOut(out, func(w io.Writer) error { return t.write(w, "csv") })
	}
	// Markdown: a folder of one file per partner, or stdout.
	if out == "" || out == "-" {
		for i, sc := range cards {
			if i > 0 {
				fmt.Fprint(c.env.Stdout, "\n---\n\n")
			}
			sc.markdown(c.env.Stdout)
		}
		return nil
	}
	if fi, err := os.Stat(out); err == nil && !fi.IsDir() {
		return fmt.Errorf("export scorecards: %s is a file; -o names a folder for one file per partner", out)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("export scorecards: %w", err)
	}
	for _, sc := range cards {
		path := filepath.Join(out, sc.ID+".md")
		if err := c.writeOut(path, func(w io.Writer) error { sc.markdown(w); return nil }); err != nil {
			return err
		}
	}
	return nil
}
