// Package sample is the built-in sample program: eighty partners of the
// program in config.example.toml, with four quarters of production and a
// history of tier moves, shipped as the CSV files the importers read so the
// demo loads exactly like real data. It also holds a deterministic generator
// of programs of any size, for benchmarks.
//
// The sourced pipeline, sourced revenue and registered deals come from a
// Salesforce opportunity export (data/deals.csv) through the deals import,
// the other metrics from a production file of rows, as a partner manager's
// own data would.
//
// The embedded files (data/*.csv) are written by mkdata.go and mkdeals.go
// (`go generate`) and dated relative to the last complete quarter, P0: a
// period cell reads "P-1" (the quarter before P0), a date "P-3+12" (twelve
// days into P-3) and a time "P0+13T15:15". Files rewrites them to real
// periods and dates, so the sample never goes stale.
package sample

//go:generate go run mkdata.go mkdeals.go

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/partnertiers/partnertiers/model"
)

var (
	//go:embed data/roster.csv
	rosterCSV []byte
	//go:embed data/deals.csv
	dealsCSV []byte
	//go:embed data/production.csv
	productionCSV []byte
	//go:embed data/history.csv
	historyCSV []byte
)

// The names the sample's files go by in import logs and error messages.
const (
	RosterFile     = "sample/roster.csv"
	DealsFile      = "sample/deals.csv"
	ProductionFile = "sample/production.csv"
)

// Data is a sample program ready for the importers.
type Data struct {
	// Roster is a partner roster CSV: id,name,track,manager,domains,
	// aliases,tier,joined,tier_since.
	Roster []byte
	// Deals is a Salesforce opportunity report in the default deal
	// columns (csvin.DefaultDealColumns), with a byte-order mark, CRLF line
	// ends, US dates and dollar amounts; nil when Production carries every
	// metric (Generate).
	Deals []byte
	// Production is a per-partner, per-period production CSV: partner,
	// period, then one column per metric of config.example.toml that
	// Deals does not give.
	Production []byte
	// History holds the earlier tier moves, oldest first.
	History []model.History
}

// Periods are the four quarters the sample has production for: the four
// complete quarters before the one today falls in, oldest first.
func Periods(today time.Time) []model.Period {
	return model.LastComplete(today, model.Quarterly).Window(4)
}

// Files is the eighty-partner sample program dated for today.
func Files(today time.Time) (Data, error) {
	r := resolver{p0: model.LastComplete(today, model.Quarterly)}
	roster, err := r.rewrite(rosterCSV, "roster.csv", map[string]func(string) (string, error){
		"joined":     r.dateCell,
		"tier_since": r.dateCell,
	})
	if err != nil {
		return Data{}, err
	}
	deals, err := r.rewrite(dealsCSV, "deals.csv", map[string]func(string) (string, error){
		"Created Date":           r.usDateCell,
		"Close Date":             r.usDateCell,
		"Deal Registration Date": r.usDateCell,
	})
	if err != nil {
		return Data{}, err
	}
	production, err := r.rewrite(productionCSV, "production.csv", map[string]func(string) (string, error){
		"period": r.periodCell,
	})
	if err != nil {
		return Data{}, err
	}
	history, err := r.history(historyCSV)
	if err != nil {
		return Data{}, err
	}
	return Data{Roster: roster, Deals: crmExport(deals), Production: production, History: history}, nil
}

// crmExport writes a CSV the way a CRM's export does, for Excel: a UTF-8
// byte-order mark and CRLF line ends (inside quoted cells too).
func crmExport(data []byte) []byte {
	out := make([]byte, 0, len(data)+len(data)/32)
	out = append(out, "\ufeff"...)
	for _, b := range data {
		if b == '\n' {
			out = append(out, '\r')
		}
		out = append(out, b)
	}
	return out
}

// Importers are the store's importers Load hands a sample to, passed in as
// functions so this package needs nothing from the store. Partners, Deals
// and Production take a file name (for the import log and errors) and the
// CSV; History takes the moves.
type Importers struct {
	Partners   func(name string, csv []byte) error
	Deals      func(name string, csv []byte) error // required when the sample has deals
	Production func(name string, csv []byte) error
	History    func([]model.History) error // nil skips the history
}

// Load imports a sample: the roster, then the deals, the production rows
// and the history, stopping at the first error.
func Load(d Data, im Importers) error {
	if len(d.Deals) > 0 && im.Deals == nil {
		// Without the deals the sample has no pipeline: never load half of it.
		return fmt.Errorf("sample: %s needs a deals importer", DealsFile)
	}
	if err := im.Partners(RosterFile, d.Roster); err != nil {
		return err
	}
	if len(d.Deals) > 0 {
		if err := im.Deals(DealsFile, d.Deals); err != nil {
			return err
		}
	}
	if err := im.Production(ProductionFile, d.Production); err != nil {
		return err
	}
	if im.History != nil && len(d.History) > 0 {
		return im.History(d.History)
	}
	return nil
}

// resolver turns the placeholders of the embedded files into real periods
// and dates, counted from the last complete quarter p0.
type resolver struct{ p0 model.Period }

// period reads "P0", "P-3".
func (r resolver) period(s string) (model.Period, error) {
	n, ok := strings.CutPrefix(s, "P")
	if !ok {
		return model.Period{}, fmt.Errorf("%q is not a period placeholder like P-1", s)
	}
	k, err := strconv.Atoi(n)
	if err != nil {
		return model.Period{}, fmt.Errorf("%q is not a period placeholder like P-1", s)
	}
	return r.p0.Step(k), nil
}

// time reads "P-3+12" (a date) or "P-3+12T15:30" (a time, UTC).
func (r resolver) time(s string) (time.Time, error) {
	date, clock, hasClock := strings.Cut(s, "T")
	per, days, ok := strings.Cut(date, "+")
	if !ok {
		return time.Time{}, fmt.Errorf("%q is not a date placeholder like P-3+12", s)
	}
	p, err := r.period(per)
	if err != nil {
		return time.Time{}, err
	}
	d, err := strconv.Atoi(days)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date placeholder like P-3+12", s)
	}
	t := p.Start().AddDate(0, 0, d)
	if hasClock {
		c, err := time.Parse("15:04", clock)
		if err != nil {
			return time.Time{}, fmt.Errorf("%q: bad time of day", s)
		}
		t = t.Add(time.Duration(c.Hour())*time.Hour + time.Duration(c.Minute())*time.Minute)
	}
	return t, nil
}

func (r resolver) periodCell(s string) (string, error) {
	p, err := r.period(s)
	return p.String(), err
}

func (r resolver) dateCell(s string) (string, error) {
	t, err := r.time(s)
	return t.Format(time.DateOnly), err
}

// usDateCell writes a date as a US CRM report does, 1/2/2006; a blank cell
// (no close or registration date) stays blank.
func (r resolver) usDateCell(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	t, err := r.time(s)
	return t.Format("1/2/2006"), err
}

// rewrite replaces the placeholders in the named columns of an embedded CSV.
func (r resolver) rewrite(data []byte, name string, cols map[string]func(string) (string, error)) ([]byte, error) {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("sample %s: %w", name, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("sample %s: empty", name)
	}
	for col, f := range cols {
		i := slices.Index(recs[0], col)
		if i < 0 {
			return nil, fmt.Errorf("sample %s: no column %q", name, col)
		}
		for line, rec := range recs[1:] {
			if rec[i], err = f(rec[i]); err != nil {
				return nil, fmt.Errorf("sample %s:%d: %s: %w", name, line+2, col, err)
			}
		}
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	if err := w.WriteAll(recs); err != nil {
		return nil, fmt.Errorf("sample %s: %w", name, err)
	}
	return out.Bytes(), nil
}

// history reads the embedded history:
// partner,from,to,period,kind,override,by,at,reason.
func (r resolver) history(data []byte) ([]model.History, error) {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("sample history.csv: %w", err)
	}
	want := []string{"partner", "from", "to", "period", "kind", "override", "by", "at", "reason"}
	if len(recs) == 0 || !slices.Equal(recs[0], want) {
		return nil, fmt.Errorf("sample history.csv: header is not %s", strings.Join(want, ","))
	}
	out := make([]model.History, 0, len(recs)-1)
	for line, rec := range recs[1:] {
		h := model.History{
			Partner: rec[0], From: rec[1], To: rec[2],
			Kind: model.MoveKind(rec[4]), Override: rec[5] == "true", By: rec[6], Reason: rec[8],
		}
		if h.Period, err = r.period(rec[3]); err == nil {
			h.At, err = r.time(rec[7])
		}
		if err != nil {
			return nil, fmt.Errorf("sample history.csv:%d: %w", line+2, err)
		}
		out = append(out, h)
	}
	return out, nil
}
