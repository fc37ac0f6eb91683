package batch

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/dendritic/dendritic/theory"
)

// WriteRow writes a header and one row in the output schema of Run: the
// canonical columns quantity,n,a,s,theta,b,patterns,noise,segments, then
// value, log10, error and warning (the value of q at p, or the error evalErr of its
// evaluation). It returns evalErr, or the error of writing.
func WriteRow(w io.Writer, q theory.Quantity, p theory.Params, v theory.Value, evalErr error) error {
	cw := csv.NewWriter(w)
	cw.Write(append(Columns(), OutputColumns...))
	row := []string{q.Name}
	for _, name := range theory.ParamNames {
		if x, ok := p[name]; ok {
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
