// Package explore serves the theory of Ahmad & Hawkins (2016) as one live
// page and a JSON API: a local web server whose page has a control for
// every parameter of the model (n cells of which a are active, a segment
// of s synapses firing at θ, noise, M patterns per segment, m segments per
// neuron) and redraws every curve of the theory as they move — E2 false
// matches against θ, s and n, E3 false negatives against noise, E4 union
// false matches against M (the paper's plug-in and the exact union-size
// mixture), E5 against m, the E7 threshold statistics and the segment
// designer's Pareto frontier — with a Monte Carlo check of the current
// point by package sim, streamed as it runs.
//
// Every number the page shows comes from package theory through the API,
// as a decimal string to the last digit and as log10, so that probabilities
// far below 1e-308 are drawn and printed correctly. The page, its script
// and its style are embedded in the binary and nothing is fetched from the
// network. The server is meant for one user on one machine: it listens on
// loopback by default, checks the Host header against DNS rebinding,
// validates every parameter against the bounds of the parameter table,
// bounds the size of every request, curve and simulation, runs one
// simulation per client and a few server-wide, and cancels a simulation
// when its client goes away.
package explore
