package theory

import (
	"math"
	"strconv"
)

func itoa(i int) string { return strconv.Itoa(i) }

func log10(x float64) float64 { return math.Log10(x) }
