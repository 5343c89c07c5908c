package cli

import (
	"fmt"
	"io"
	"time"

	"charm.land/bubbles/v2/progress"
	"charm.land/lipgloss/v2"
)

// Progress is drawn only on a terminal (ctx.progressOut decides), so a
// pipe or a file never receives it.

// redrawEvery throttles a progress bar to ten frames a second.
const redrawEvery = 100 * time.Millisecond

// progressBar draws one line, "label [bar] 42% detail", over and over on
// w: at most every redrawEvery, always at 100%, and cleared by done so the
// report that follows starts on a clean line.
type progressBar struct {
	w     io.Writer
	label string
	bar   barView
	now   func() time.Time
	last  time.Time
	drawn bool
}

// barView renders the bar itself for a fraction between 0 and 1.
type barView interface {
	ViewAs(percent float64) string
}

// maxLabel keeps a progress line within 80 columns (label, bar, at most
// 18 cells of detail): a line that wraps cannot be drawn over with "\r".
const maxLabel = 33

func newProgressBar(w io.Writer, label string, now func() time.Time) *progressBar {
	if r := []rune(label); len(r) > maxLabel {
		label = string(r[:maxLabel-1]) + "…"
	}
	return &progressBar{w: w, label: label, bar: newBarView(), now: now}
}

// set draws the bar at frac (0 to 1) with detail after it, unless it was
// drawn less than redrawEvery ago.
func (p *progressBar) set(frac float64, detail string) {
	t := p.now()
	if p.drawn && frac < 1 && t.Sub(p.last) < redrawEvery {
		return
	}
	p.drawn, p.last = true, t
	fmt.Fprintf(p.w, "\r%s %s %s\x1b[K", p.label, p.bar.ViewAs(min(1, max(0, frac))), detail)
}

// text draws the line without a bar, when the total is not known.
func (p *progressBar) text(detail string) {
	t := p.now()
	if p.drawn && t.Sub(p.last) < redrawEvery {
		return
	}
	p.drawn, p.last = true, t
	fmt.Fprintf(p.w, "\r%s %s\x1b[K", p.label, detail)
}

// done clears the line, if anything was drawn on it.
func (p *progressBar) done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// rows is an ImportOptions.Progress that draws "done/total rows".
func (p *progressBar) rows(done, total int) {
	if total > 0 {
		p.set(float64(done)/float64(total), fmt.Sprintf("%d/%d rows", done, total))
	}
}

// progressReader draws a progress bar while a download is read.
type progressReader struct {
	r     io.Reader
	bar   *progressBar
	total int64 // -1 when the size is not known
	read  int64
}

func newProgressReader(r io.Reader, w io.Writer, label string, total int64, now func() time.Time) *progressReader {
	return &progressReader{r: r, bar: newProgressBar(w, label, now), total: total}
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read += int64(n)
	mb := fmt.Sprintf("%.1f MB", float64(p.read)/(1<<20))
	switch {
	case p.total > 0 && err == io.EOF:
		p.bar.set(1, mb)
	case p.total > 0:
		p.bar.set(float64(p.read)/float64(p.total), mb)
	default:
		p.bar.text(mb)
	}
	return n, err
}

// done clears the line so the report that follows starts clean.
func (p *progressReader) done() { p.bar.done() }

// barWidth is the bar's width with its percentage, in cells.
const barWidth = 26

// newBarView is bubbles' progress bar, rendered statically (ViewAs needs no
// tea.Program) and without colour: the line is transient, and so reads the
// same on every terminal and under NO_COLOR.
func newBarView() barView {
	bar := progress.New(progress.WithWidth(barWidth), progress.WithFillCharacters('█', '░'),
		progress.WithColors(lipgloss.NoColor{}))
	bar.EmptyColor = lipgloss.NoColor{}
	return bar
}
