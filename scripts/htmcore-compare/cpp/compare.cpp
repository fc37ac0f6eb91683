// The htm.core half of scripts/htmcore-compare.sh: runs the workloads of
// scripts/htmcore-compare (the Go half) against htm.core's public C++ API
// (TemporalMemory, SpatialPooler, RandomDistributedScalarEncoder, SDR) on
// the inputs and parameters the Go half exported, and prints the same
// result lines. This file is the project's own code; it contains nothing
// of htm.core but calls to its API.
//
// Usage:
//   compare run WORKLOAD DIR   run one workload, print one result line
//   compare record-sp DIR      write DIR/hello-sp-htmcore.txt, htm.core's
//                              spatial pooler's 5000 outputs (untimed)
//
// Parameter mapping (DIR/params.txt, written from our Go structs):
//   TemporalMemory(columnDimensions {numColumns}, cellsPerColumn,
//     activationThreshold, initialPermanence, connectedPermanence,
//     minThreshold, maxNewSynapseCount, permanenceIncrement,
//     permanenceDecrement, predictedSegmentDecrement, seed,
//     maxSegmentsPerCell, maxSynapsesPerSegment, checkInputs true,
//     externalPredictiveInputs 0, anomalyMode RAW): htm.Params's fields
//     carry htm.core's names one to one; our maxSegments (a global bound
//     htm.core lacks) must be 0, i.e. off.
//   SpatialPooler(inputDimensions InputDims, columnDimensions ColumnDims,
//     PotentialRadius, PotentialPct, GlobalInhibition, LocalAreaDensity,
//     NumActiveColumnsPerInhArea, StimulusThreshold, SynPermInactiveDec,
//     SynPermActiveInc, SynPermConnected, MinPctOverlapDutyCycles,
//     DutyCyclePeriod, BoostStrength, Seed, spVerbosity 0, WrapAround):
//     spatial.Params's fields in htm.core's order; our InitPermanence must
//     be 0 (InitNearThreshold, htm.core's initialisation).
//   RDSE_Parameters{size Size, activeBits ActiveBits, sparsity Sparsity,
//     radius Radius, resolution Resolution, category false, seed Seed},
//     then SDR::addNoise(run.noise, Random(42)) as in htm.core's hello.
// The seeds are the same numbers on both sides, but the generators differ,
// so the two sides learn different (equally random) segments; the counts
// printed beside the times show the amount of work is the same.
//
// Inputs are turned into SDRs before the clock starts, as our side gets
// them as slices; only the calls of compute/encode are timed.

#include <htm/algorithms/SpatialPooler.hpp>
#include <htm/algorithms/TemporalMemory.hpp>
#include <htm/encoders/RandomDistributedScalarEncoder.hpp>
#include <htm/types/Sdr.hpp>
#include <htm/utils/Random.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace htm;
using Steps = std::vector<std::vector<UInt>>;
using Clock = std::chrono::steady_clock;

namespace {

// fail reports a bad input or parameter.
[[noreturn]] void fail(const std::string &why) { throw std::runtime_error(why); }

// Params holds params.txt and remembers which keys were used, so that a
// parameter without a counterpart here is an error, not silently ignored.
class Params {
public:
  explicit Params(const std::string &path) {
    std::ifstream f(path);
    if (!f) fail("cannot read " + path);
    std::string line;
    while (std::getline(f, line)) {
      if (line.empty()) continue;
      auto sp = line.find(' ');
      if (sp == std::string::npos) fail(path + ": malformed line \"" + line + "\"");
      kv_[line.substr(0, sp)] = line.substr(sp + 1);
    }
  }
  const std::string &text(const std::string &key) {
    auto it = kv_.find(key);
    if (it == kv_.end()) fail("params.txt has no " + key);
    used_.insert(key);
    return it->second;
  }
  double number(const std::string &key) {
    const std::string &s = text(key);
    char *end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (s.empty() || *end != '\0' || !std::isfinite(v)) fail(key + " = " + s + ": not a number");
    return v;
  }
  long whole(const std::string &key, long lo, long hi) {
    double v = number(key);
    if (v != std::floor(v) || v < lo || v > hi)
      fail(key + " = " + text(key) + ": want a whole number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return static_cast<long>(v);
  }
  bool flag(const std::string &key) {
    const std::string &s = text(key);
    if (s != "true" && s != "false") fail(key + " = " + s + ": want true or false");
    return s == "true";
  }
  void require(const std::string &key, double want, const std::string &why) {
    if (number(key) != want) fail(key + " = " + text(key) + ": " + why);
  }
  // finish fails on a key nobody used.
  void finish() const {
    for (const auto &e : kv_)
      if (!used_.count(e.first)) fail("parameter " + e.first + " has no counterpart in htm.core here; map it in compare.cpp");
  }

private:
  std::map<std::string, std::string> kv_;
  std::set<std::string> used_;
};

struct TMArgs {
  UInt columns;
  CellIdx cells;
  SynapseIdx activation, minThreshold, maxNew, maxSynapses;
  SegmentIdx maxSegments;
  Permanence initial, connected, inc, dec, predictedDec;
  Int seed;
};

TMArgs tmArgs(Params &p, const std::string &g) {
  TMArgs a;
  a.columns = p.whole(g + "numColumns", 1, 1L << 24);
  a.cells = p.whole(g + "cellsPerColumn", 1, 1L << 24);
  a.activation = p.whole(g + "activationThreshold", 1, 65535);
  a.minThreshold = p.whole(g + "minThreshold", 1, 65535);
  a.maxNew = p.whole(g + "maxNewSynapseCount", 1, 65535);
  a.maxSynapses = p.whole(g + "maxSynapsesPerSegment", 1, 65535);
  a.maxSegments = p.whole(g + "maxSegmentsPerCell", 1, 65535);
  a.initial = p.number(g + "initialPermanence");
  a.connected = p.number(g + "connectedPermanence");
  a.inc = p.number(g + "permanenceIncrement");
  a.dec = p.number(g + "permanenceDecrement");
  a.predictedDec = p.number(g + "predictedSegmentDecrement");
  a.seed = p.whole(g + "seed", 0, 2147483647);
  p.require(g + "maxSegments", 0, "htm.core has no global segment bound; only 0 (none) compares");
  return a;
}

std::unique_ptr<TemporalMemory> makeTM(const TMArgs &a) {
  return std::make_unique<TemporalMemory>(std::vector<CellIdx>{a.columns}, a.cells, a.activation, a.initial,
                                          a.connected, a.minThreshold, a.maxNew, a.inc, a.dec, a.predictedDec,
                                          a.seed, a.maxSegments, a.maxSynapses, true, 0, TemporalMemory::ANMode::RAW);
}

struct SPArgs {
  UInt inputs, columns, potentialRadius, numActive, stimulus, period;
  Real potentialPct, density, inactiveDec, activeInc, connected, minOverlap, boost;
  bool global, wrap;
  Int seed;
};

SPArgs spArgs(Params &p) {
  SPArgs a;
  a.inputs = p.whole("sp.InputDims", 1, 1L << 22);  // one dimension: a list would not parse as a number
  a.columns = p.whole("sp.ColumnDims", 1, 1L << 22);
  a.potentialRadius = p.whole("sp.PotentialRadius", 0, 1L << 22);
  a.potentialPct = p.number("sp.PotentialPct");
  a.global = p.flag("sp.GlobalInhibition");
  a.density = p.number("sp.LocalAreaDensity");
  a.numActive = p.whole("sp.NumActiveColumnsPerInhArea", 0, 1L << 22);
  a.stimulus = p.whole("sp.StimulusThreshold", 0, 1L << 22);
  a.inactiveDec = p.number("sp.SynPermInactiveDec");
  a.activeInc = p.number("sp.SynPermActiveInc");
  a.connected = p.number("sp.SynPermConnected");
  a.minOverlap = p.number("sp.MinPctOverlapDutyCycles");
  a.period = p.whole("sp.DutyCyclePeriod", 1, 1L << 30);
  a.boost = p.number("sp.BoostStrength");
  a.seed = p.whole("sp.Seed", 0, 2147483647);
  a.wrap = p.flag("sp.WrapAround");
  p.require("sp.InitPermanence", 0, "only InitNearThreshold (0), htm.core's initialisation, compares");
  return a;
}

std::unique_ptr<SpatialPooler> makeSP(const SPArgs &a) {
  return std::make_unique<SpatialPooler>(std::vector<UInt>{a.inputs}, std::vector<UInt>{a.columns}, a.potentialRadius,
                                         a.potentialPct, a.global, a.density, a.numActive, a.stimulus,
                                         a.inactiveDec, a.activeInc, a.connected, a.minOverlap, a.period, a.boost,
                                         a.seed, 0u, a.wrap);
}

RDSE_Parameters rdseArgs(Params &p) {
  RDSE_Parameters r;
  r.size = p.whole("rdse.Size", 1, 1L << 30);
  r.activeBits = p.whole("rdse.ActiveBits", 0, 1L << 30);
  r.sparsity = p.number("rdse.Sparsity");
  r.radius = p.number("rdse.Radius");
  r.resolution = p.number("rdse.Resolution");
  r.category = false;
  r.seed = p.whole("rdse.Seed", 0, 4294967295L);
  return r;
}

// Config is everything params.txt says, parsed and checked as a whole.
struct Config {
  TMArgs tm, hellotm;
  SPArgs sp;
  RDSE_Parameters rdse;
  Real noise;
  long helloSteps, randomSteps, randomWindow, sequenceWarmup, sequenceSteps;
};

Config readConfig(const std::string &dir) {
  Params p(dir + "/params.txt");
  Config c;
  c.tm = tmArgs(p, "tm.");
  c.hellotm = tmArgs(p, "hellotm.");
  c.sp = spArgs(p);
  c.rdse = rdseArgs(p);
  c.noise = p.number("run.noise");
  c.helloSteps = p.whole("run.helloSteps", 1, 1L << 24);
  c.randomSteps = p.whole("run.randomSteps", 1, 1L << 24);
  c.randomWindow = p.whole("run.randomWindow", 0, c.randomSteps - 1);
  c.sequenceWarmup = p.whole("run.sequenceWarmup", 0, 1L << 20);
  c.sequenceSteps = p.whole("run.sequenceSteps", 1, 1L << 24);
  p.finish();
  return c;
}

// readSteps reads a stream file (one step per line, sorted indices) of
// want steps with indices below size.
Steps readSteps(const std::string &path, UInt size, long want) {
  std::ifstream f(path);
  if (!f) fail("cannot read " + path);
  Steps out;
  std::string line;
  while (std::getline(f, line)) {
    std::vector<UInt> step;
    std::istringstream in(line);
    std::string tok;
    while (in >> tok) {
      char *end = nullptr;
      unsigned long x = std::strtoul(tok.c_str(), &end, 10);
      if (*end != '\0' || tok[0] == '-' || x >= size || (!step.empty() && x <= step.back()))
        fail(path + ":" + std::to_string(out.size() + 1) + ": bad index " + tok + " (want increasing, below " +
             std::to_string(size) + ")");
      step.push_back(static_cast<UInt>(x));
    }
    out.push_back(std::move(step));
  }
  if (static_cast<long>(out.size()) != want)
    fail(path + ": " + std::to_string(out.size()) + " steps, want " + std::to_string(want));
  return out;
}

std::vector<SDR> toSDRs(const Steps &steps, UInt size) {
  std::vector<SDR> out(steps.size(), SDR(std::vector<UInt>{size}));
  for (size_t i = 0; i < steps.size(); i++) out[i].setSparse(steps[i]);
  return out;
}

double seconds(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string mean(const char *key, double sum, long n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, " %s=%.4f", key, sum / n);
  return buf;
}

std::string counts(const TemporalMemory &tm, const std::string &at) {
  return " segments" + at + "=" + std::to_string(tm.connections.numSegments()) + " synapses" + at + "=" +
         std::to_string(tm.connections.numSynapses());
}

void print(const std::string &workload, double value, const char *unit, const std::string &checks) {
  std::printf("result side=htmcore workload=%s value=%.6g unit=%s%s\n", workload.c_str(), value, unit, checks.c_str());
}

void runRandom(const Config &c, const std::string &dir) {
  auto cols = toSDRs(readSteps(dir + "/random.txt", c.tm.columns, c.randomSteps), c.tm.columns);
  auto tm = makeTM(c.tm);
  std::string checks;
  double anomaly = 0;
  Clock::time_point t0;
  for (long i = 0; i < c.randomSteps; i++) {
    if (i == c.randomWindow) {
      checks = counts(*tm, "@" + std::to_string(i));
      t0 = Clock::now();
    }
    tm->compute(cols[i], true);
    if (i >= c.randomWindow) anomaly += tm->anomaly;
  }
  double d = seconds(t0);
  long window = c.randomSteps - c.randomWindow;
  checks += counts(*tm, "@" + std::to_string(c.randomSteps)) + mean("anomaly", anomaly, window);
  print("tm-random", d * 1e6 / window, "µs/step", checks);
}

void runSequence(const Config &c, const std::string &dir) {
  auto seq = toSDRs(readSteps(dir + "/sequence.txt", c.tm.columns, 100), c.tm.columns);
  auto tm = makeTM(c.tm);
  long warm = c.sequenceWarmup * static_cast<long>(seq.size());
  for (long i = 0; i < warm; i++) tm->compute(seq[i % seq.size()], true);
  double anomaly = 0;
  auto t0 = Clock::now();
  for (long i = warm; i < warm + c.sequenceSteps; i++) {
    tm->compute(seq[i % seq.size()], true);
    anomaly += tm->anomaly;
  }
  double d = seconds(t0);
  print("tm-sequence", d * 1e6 / c.sequenceSteps, "µs/step", counts(*tm, "") + mean("anomaly", anomaly, c.sequenceSteps));
}

void runStream(const Config &c, const std::string &dir, const std::string &name, const std::string &file) {
  Steps steps = readSteps(dir + "/" + file, c.hellotm.columns, c.helloSteps);
  auto cols = toSDRs(steps, c.hellotm.columns);
  auto tm = makeTM(c.hellotm);
  double anomaly = 0;
  auto t0 = Clock::now();
  for (const SDR &x : cols) {
    tm->compute(x, true);
    anomaly += tm->anomaly;
  }
  double d = seconds(t0);
  double active = 0;
  for (const auto &s : steps) active += s.size();
  print(name, d, "s", counts(*tm, "") + mean("anomaly", anomaly, c.helloSteps) + mean("columns", active, c.helloSteps));
}

void runSP(const Config &c, const std::string &dir) {
  auto in = toSDRs(readSteps(dir + "/hello-input.txt", c.sp.inputs, c.helloSteps), c.sp.inputs);
  auto sp = makeSP(c.sp);
  SDR out(std::vector<UInt>{c.sp.columns});
  double active = 0;
  auto t0 = Clock::now();
  for (const SDR &x : in) {
    sp->compute(x, true, out);
    active += out.getSum();
  }
  double d = seconds(t0);
  print("sp", d, "s", mean("columns", active, c.helloSteps));
}

void recordSP(const Config &c, const std::string &dir) {
  auto in = toSDRs(readSteps(dir + "/hello-input.txt", c.sp.inputs, c.helloSteps), c.sp.inputs);
  auto sp = makeSP(c.sp);
  SDR out(std::vector<UInt>{c.sp.columns});
  std::string path = dir + "/hello-sp-htmcore.txt";
  std::ofstream f(path);
  for (const SDR &x : in) {
    sp->compute(x, true, out);
    const auto &s = out.getSparse();
    for (size_t i = 0; i < s.size(); i++) f << (i ? " " : "") << s[i];
    f << '\n';
  }
  f.close();
  if (!f) fail("cannot write " + path);
}

void runEncode(const Config &c) {
  RandomDistributedScalarEncoder enc(c.rdse);
  std::vector<SDR> out(c.helloSteps, SDR(enc.dimensions));
  Random rng(42);
  double x = 0;
  auto t0 = Clock::now();
  for (SDR &s : out) {
    enc.encode(std::sin(x), s);
    s.addNoise(c.noise, rng);
    x += 0.01;
  }
  double d = seconds(t0);
  double bits = 0;
  for (const SDR &s : out) bits += s.getSum();
  print("encode", d * 1e3, "ms", mean("bits", bits, c.helloSteps));
}

int usage() {
  std::fprintf(stderr, "usage: compare run WORKLOAD DIR | compare record-sp DIR\n");
  return 2;
}

}  // namespace

int main(int argc, char **argv) {
  try {
    std::vector<std::string> a(argv + 1, argv + argc);
    if (a.size() == 2 && a[0] == "record-sp") {
      recordSP(readConfig(a[1]), a[1]);
      return 0;
    }
    if (a.size() != 3 || a[0] != "run") return usage();
    const std::string &w = a[1], &dir = a[2];
    Config c = readConfig(dir);
    if (w == "tm-random") runRandom(c, dir);
    else if (w == "tm-sequence") runSequence(c, dir);
    else if (w == "sp") runSP(c, dir);
    else if (w == "tm-stream-ours") runStream(c, dir, w, "hello-sp-ours.txt");
    else if (w == "tm-stream-htmcore") runStream(c, dir, w, "hello-sp-htmcore.txt");
    else if (w == "encode") runEncode(c);
    else fail("unknown workload " + w);
  } catch (const std::exception &e) {
    std::fprintf(stderr, "compare: %s\n", e.what());
    return 1;
  }
  return 0;
}
