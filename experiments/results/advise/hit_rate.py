#!/usr/bin/env python3
"""The advise pilot's verdicts against the measured mlp-deep outcomes (experiments/results/mlp-deep/summary.csv).

Usage: python3 experiments/results/advise/hit_rate.py [PILOT_DIR [MEASURED_DIR]]
(defaults experiments/results/advise/pilots and experiments/results/mlp-deep; a pilot folder is named
<dataset>-<base>[-bn])
Writes PILOT_DIR/hits.csv and prints a Markdown report (the rules are in the printed text)."""
import csv, json, os, sys

root = os.path.dirname(os.path.abspath(__file__))
pilots = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, 'pilots')
measured_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, '..', 'mlp-deep')
summary = list(csv.DictReader(open(os.path.join(measured_dir, 'summary.csv'))))
results = list(csv.DictReader(open(os.path.join(measured_dir, 'results.csv'))))

def measured(ds, bn, base, alpha):
    for r in summary:
        if r['dataset'] == ds and r['bn'] == bn and r['init'] == 'emergence-' + base and float(r['alpha']) == alpha:
            return r
    return None

def outcome(diff, t):
    if diff == '' or t == '':
        return 'n/a'
    d, t = float(diff), float(t)
    return 'helps' if d > 0 and t >= 2 else 'hurts' if d < 0 and t <= -2 else 'no clear difference'

def epoch_seconds(ds, bn, base):
    s = [float(r['seconds']) for r in results if r['dataset'] == ds and r['bn'] == bn and r['init'] == base
         and r['epoch'] == '1']
    return sum(s) / len(s) if s else float('nan')

rows, settings = [], []
for name in sorted(os.listdir(pilots)):
    f = os.path.join(pilots, name, 'advise.json')
    if not os.path.isfile(f):
        continue
    j = json.load(open(f))
    bn = 'true' if name.endswith('-bn') else 'false'
    ds = name[:-3] if bn == 'true' else name
    ds = ds.rsplit('-', 1)[0]
    base = j['stock']
    any1 = anyEnd = False
    for c in j['candidates']:
        m = measured(ds, bn, base, c['alpha'])
        o1, oEnd = outcome(m['diff1'], m['t1']), outcome(m['diffEnd'], m['tEnd'])
        any1 |= o1 == 'helps'
        anyEnd |= oEnd == 'helps'
        pilot = 'helps' if c['beatsStock'] else 'keep stock'
        rows.append(dict(setting=name, alpha=c['alpha'], pilotLossDiff=c['lossDiffMean'], pilotT=c['t'],
                         pilotAccDiffPoints=None if c['accuracyDiffMean'] is None else 100 * c['accuracyDiffMean'],
                         pilot=pilot, epoch1DiffPoints=100 * float(m['diff1']), epoch1T=float(m['t1']),
                         epoch1=o1, endDiffPoints=100 * float(m['diffEnd']), endT=float(m['tEnd']), end=oEnd,
                         rightEpoch1=(pilot == 'helps') == (o1 == 'helps'),
                         rightEnd=(pilot == 'helps') == (oEnd == 'helps')))
    settings.append(dict(setting=name, best=j['best'], any1=any1, anyEnd=anyEnd, verdict=j['verdict'],
                         seconds=j['seconds'], steps=j['pilotSteps'], fraction=j['epochFraction'],
                         runs=j['seeds'] * (1 + len(j['candidates'])), epoch=epoch_seconds(ds, bn, base)))

with open(os.path.join(pilots, 'hits.csv'), 'w', newline='') as out:
    w = csv.DictWriter(out, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)

n = len(rows)
r1 = sum(r['rightEpoch1'] for r in rows)
rE = sum(r['rightEnd'] for r in rows)
said = [r for r in rows if r['pilot'] == 'helps']
print(f"Pilots in `{os.path.relpath(pilots, os.path.join(root, '..', '..', '..'))}`: {len(settings)} settings, {n} (setting, alpha) candidates.\n")
print(f"| setting | alpha | pilot: loss diff, t | pilot: acc diff (points) | pilot says | epoch 1: acc diff (points), t | epoch 1 | end (epoch {summary[0]['endEpoch']}): diff, t | end |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for r in rows:
    pa = 'n/a' if r['pilotAccDiffPoints'] is None else f"{r['pilotAccDiffPoints']:+.1f}"
    pt = 'n/a' if r['pilotT'] is None else f"{r['pilotT']:.1f}"
    print(f"| {r['setting']} | {r['alpha']} | {r['pilotLossDiff']:+.3f}, {pt} | {pa} | {r['pilot']} | "
          f"{r['epoch1DiffPoints']:+.2f}, {r['epoch1T']:.1f} | {r['epoch1']} | {r['endDiffPoints']:+.2f}, "
          f"{r['endT']:.1f} | {r['end']} |")
print()
print(f"Per candidate, the pilot's call (\"helps\" = beats stock; otherwise \"keep stock\") is right when it says "
      f"\"helps\" exactly when the measured test accuracy is higher with t >= 2 (Welch, 3 seeds):")
print(f"- after epoch 1: {r1} of {n} right ({100 * r1 / n:.0f} %); at the end: {rE} of {n} ({100 * rE / n:.0f} %).")
print(f"- the pilot said \"helps\" {len(said)} times; measured \"helps\" after epoch 1 in "
      f"{sum(r['epoch1'] == 'helps' for r in said)} of them, at the end in {sum(r['end'] == 'helps' for r in said)}; "
      f"measured \"hurts\" after epoch 1 in {sum(r['epoch1'] == 'hurts' for r in said)}, at the end in "
      f"{sum(r['end'] == 'hurts' for r in said)}.")
k1 = sum(r['epoch1'] != 'helps' for r in rows)
kE = sum(r['end'] != 'helps' for r in rows)
print(f"- for scale: always answering \"keep stock\" is right {k1} of {n} times after epoch 1 and {kE} of {n} at the "
      f"end (measured \"helps\" is rare here).")
hurt1 = [r for r in rows if r['epoch1'] == 'hurts']
print(f"- of the {len(hurt1)} candidate(s) measured to hurt after epoch 1, the pilot said \"keep stock\" for "
      f"{sum(r['pilot'] != 'helps' for r in hurt1)}, with a positive (worse) loss difference for "
      f"{sum(r['pilotLossDiff'] > 0 for r in hurt1)}.")
keep = [r for r in rows if r['pilot'] != 'helps']
print(f"- the pilot said \"keep stock\" {len(keep)} times; measured \"helps\" after epoch 1 in "
      f"{sum(r['epoch1'] == 'helps' for r in keep)} of them, at the end in {sum(r['end'] == 'helps' for r in keep)}.")
d1 = sum((r['pilotLossDiff'] < 0) == (r['epoch1DiffPoints'] > 0) for r in rows)
dE = sum((r['pilotLossDiff'] < 0) == (r['endDiffPoints'] > 0) for r in rows)
print(f"- direction only (the pilot's loss lower than stock's, against the measured accuracy higher than stock's, "
      f"whatever t): {d1} of {n} agree after epoch 1, {dE} of {n} at the end.")
s1 = sum((s['best'] is not None) == s['any1'] for s in settings)
sE = sum((s['best'] is not None) == s['anyEnd'] for s in settings)
print(f"- per setting (a best alpha, or none, against \"some alpha measurably helps\"): {s1} of {len(settings)} right "
      f"after epoch 1, {sE} of {len(settings)} at the end.")
print()
print("| setting | pilot best | pilot seconds | runs x steps | share of one epoch per run | pilot / one epoch of one run (wall) |")
print("| --- | --- | --- | --- | --- | --- |")
for s in settings:
    print(f"| {s['setting']} | {s['best']} | {s['seconds']:.0f} | {s['runs']} x {s['steps']} | {100 * s['fraction']:.1f} % | "
          f"{s['seconds'] / s['epoch']:.1f} x ({s['epoch']:.0f} s epoch in the sweep) |")
