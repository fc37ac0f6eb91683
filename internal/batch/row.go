package batch

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/dendritic/dendritic/theory"
)

// WriteRow writes a header and one row in the output schema of Run: the
// canonical columns (Columns: quantity, then every parameter), then
// value, log10, error and warning (the value of q at p, or the error
// evalErr of its
// evaluation). It returns evalErr, or the error of writing.
func WriteRow(w io.Writer, q theory.Quantity, p theory.Args, v theory.Value, evalErr error) error {
	cw := csv.NewWriter(w)
	cw.Write(append(Columns(), OutputColumns...))
	row := []string{q.Name}
	for _, info := range theory.Params() {
		if x, ok := p.Get(info.Param); ok {
			row = append(row, strconv.Itoa(x))
		} else {
			row = append(row, "")
		}
	}
	if evalErr != nil {
		row = append(row, "", "", evalErr.Error(), "")
	} else {
		row = append(row, FormatValue(v), FormatLog10(v), "", v.Warning())
	}
	cw.Write(row)
	cw.Flush()
	if evalErr != nil {
		return evalErr
	}
	return cw.Error()
}
