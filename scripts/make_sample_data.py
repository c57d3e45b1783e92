#!/usr/bin/env python3
"""Generate klynge's FICTIONAL sample interview data for Region Midtjylland.

Writes, into scenarios/data/ (or --out DIR):
  midtjylland_firms.csv       Danish-Excel export: UTF-8 with BOM, CRLF, ';', decimal comma
  midtjylland_relations.csv   plain CSV: ',', LF, no BOM
  midtjylland_catalogue.yaml  capability -> segment weights and dev-opportunity tags

Every firm, name, CVR-like number, figure and relation is invented. The generator is
deterministic (fixed seed, Python 3 standard library only, draws taken only through
random.Random.random(), whose stream is stable across Python 3 versions) and asserts the bands
that product.md ("Interview data") pins and the plausibility tests rely on. It prints a summary.

  /usr/bin/python3 scripts/make_sample_data.py            # (re)write the files
  /usr/bin/python3 scripts/make_sample_data.py --check    # exit 1 if the files on disk differ
"""
from __future__ import annotations

import argparse
import io
import math
import random
import statistics
import sys
from pathlib import Path

SEED = 20070301  # fixed: the same files on every run
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "scenarios" / "data"

# --------------------------------------------------------------------------------------------
# Capabilities (the cap_<name> columns) and the catalogue that describes them.
# weights: how often an opportunity in each segment requires the capability (relative);
# dev_tags: the interview's development-opportunity tags that upgrade it.
# --------------------------------------------------------------------------------------------
CATALOGUE = [
    # name, food, energy_environment, other, export, dev_tags, comment
    ("welding", 1.0, 3.0, 1.5, 2.0, ["certification"],
     "certified structural and pressure welding (EN 1090, ISO 3834)"),
    ("stainless_fabrication", 3.0, 1.0, 0.5, 1.0, ["lean", "product_development"],
     "stainless tanks, vessels, frames and process lines"),
    ("hygienic_design", 3.0, 0.0, 0.5, 1.0, ["product_development", "certification"],
     "EHEDG/3-A cleanable design for dairies, slaughterhouses, bakeries"),
    ("cnc_machining", 1.5, 1.0, 3.0, 1.0, ["automation", "lean"],
     "CNC turning and milling"),
    ("sheet_metal", 1.5, 1.0, 2.0, 0.5, ["automation", "lean"],
     "laser cutting, bending, thin-plate work"),
    ("automation", 2.0, 1.0, 1.5, 1.5, ["automation"],
     "PLC, robots, conveyors, control panels"),
    ("assembly", 1.0, 1.0, 2.0, 1.0, ["lean"],
     "assembly of modules and complete machines, commissioning"),
    ("certification", 1.5, 2.0, 0.5, 2.5, ["certification"],
     "quality and sector approvals (ISO 9001/14001, EHEDG, ATEX, PED)"),
    ("product_development", 1.0, 1.0, 1.0, 1.5, ["product_development"],
     "own products, design office, prototypes"),
    ("large_structures", 0.0, 3.0, 0.5, 2.5, ["certification", "lean"],
     "wind towers, foundations, transition pieces, heavy steel"),
    ("pipe_systems", 0.5, 3.0, 0.5, 1.0, ["energy_efficiency"],
     "district heating, process and pressure piping"),
    ("environmental_tech", 0.5, 2.5, 0.5, 1.0, ["energy_efficiency", "product_development"],
     "filters, biogas plants, water and flue-gas treatment"),
    ("export_sales", 0.0, 0.0, 0.0, 3.0, ["export"],
     "export sales organisation, foreign references, documentation in English/German"),
]
CAPS = [c[0] for c in CATALOGUE]
DEV_TAGS = sorted({t for c in CATALOGUE for t in c[5]})

# Segment profiles: mean Likert level per capability (CAPS order), before noise.
#                      weld stnl hyg  cnc  shet auto asm  cert prod larg pipe envt expo
PROFILES = {
    "food_process":   [3.8, 4.3, 4.0, 2.5, 3.0, 2.3, 3.0, 3.2, 2.6, 0.8, 2.5, 1.5, 2.0],
    "food_machinery": [3.0, 3.8, 3.6, 3.8, 3.6, 3.5, 3.7, 2.8, 3.0, 0.6, 1.4, 1.2, 2.2],
    "energy_wind":    [4.5, 1.8, 0.4, 2.5, 2.5, 1.8, 2.8, 3.8, 2.0, 4.3, 2.0, 1.8, 2.6],
    "energy_heat":    [4.2, 2.8, 0.7, 2.2, 2.8, 2.0, 3.0, 3.5, 2.3, 2.3, 4.3, 3.0, 2.0],
    "energy_env":     [3.5, 3.2, 1.4, 2.5, 3.5, 3.0, 3.3, 3.0, 3.2, 1.4, 3.0, 4.0, 2.2],
    "other":          [3.2, 2.2, 0.9, 4.3, 3.8, 2.8, 3.4, 2.5, 2.0, 1.2, 1.5, 1.0, 1.8],
}
MAIN_SEGMENT = {"food_process": "food", "food_machinery": "food", "energy_wind": "energy",
                "energy_heat": "energy", "energy_env": "energy", "other": "other"}

# Dev-opportunity tags an interviewer typically records per profile (weights).
DEV_PREFS = {
    "food_process":   {"certification": 3, "product_development": 3, "automation": 2, "lean": 2,
                       "export": 1, "energy_efficiency": 1},
    "food_machinery": {"automation": 3, "product_development": 3, "export": 2, "lean": 2,
                       "certification": 1, "energy_efficiency": 0.5},
    "energy_wind":    {"certification": 3, "export": 3, "lean": 3, "automation": 1,
                       "product_development": 0.5, "energy_efficiency": 0.5},
    "energy_heat":    {"energy_efficiency": 3, "certification": 2, "export": 2, "lean": 1,
                       "product_development": 1, "automation": 1},
    "energy_env":     {"energy_efficiency": 3, "product_development": 3, "export": 2,
                       "certification": 1, "automation": 1, "lean": 0.5},
    "other":          {"automation": 3, "lean": 3, "certification": 1,
                       "product_development": 1, "export": 0.5, "energy_efficiency": 0.5},
}

# --------------------------------------------------------------------------------------------
# The firms: fictional names, municipalities (all in the loader's built-in table), profile,
# target-group flag, and an explicit location for a few (most use the municipality centroid).
# --------------------------------------------------------------------------------------------
FIRMS = [
    # name, municipality, profile, participant, (lat, lon) or None
    ("Vestjysk Rustfri ApS", "Skive", "food_process", True, None),
    ("Djurs Stålteknik A/S", "Norddjurs", "energy_wind", True, None),
    ("Randers Procesinox A/S", "Randers", "food_process", True, None),
    ("Kattegat Vindstål A/S", "Aarhus", "energy_wind", True, (56.1560, 10.2360)),
    ("Mejeriteknik Hadsten ApS", "Hadsten", "food_machinery", True, None),
    ("Bjerringbro CNC-Teknik ApS", "Bjerringbro", "other", True, None),
    ("Limfjordens Rørteknik ApS", "Skive", "energy_heat", True, None),
    ("Gudenå Rustfri Smedie ApS", "Bjerringbro", "food_process", True, None),
    ("Herning Stålindustri A/S", "Herning", "energy_wind", False, None),
    ("Fjernvarme Rør & Svejs ApS", "Viborg", "energy_heat", True, None),
    ("Århus Hygiejnestål ApS", "Århus", "food_machinery", True, None),
    ("Silkeborg Miljøteknik A/S", "Silkeborg", "energy_env", True, None),
    ("Kjellerup Maskinfabrik A/S", "Kjellerup", "food_machinery", True, None),
    ("Østjysk Præcisionsbearbejdning A/S", "Aarhus", "other", True, None),
    ("Grenaa Havnesmedie A/S", "Grenaa", "energy_wind", True, (56.4100, 10.8890)),
    ("Favrskov Procesudstyr ApS", "Favrskov", "food_process", True, None),
    ("Horsens Rustfri Anlæg A/S", "Horsens", "food_process", False, None),
    ("Randers Tårnsektioner A/S", "Randers", "energy_wind", True, (56.4590, 10.0620)),
    ("Viborg Slagteriteknik A/S", "Viborg", "food_machinery", True, (56.4470, 9.4150)),
    ("Ry Filter & Ventilation ApS", "Ry", "energy_env", True, None),
    ("Hinnerup Pladebearbejdning ApS", "Favrskov", "other", True, None),
    ("Skanderborg Tankbyg ApS", "Skanderborg", "food_process", True, None),
    ("Karup Å Stålkonstruktion ApS", "Viborg", "energy_wind", True, None),
    ("Holstebro Maskinfabrik ApS", "Holstebro", "other", False, None),
    ("Hammel Inox & Montage ApS", "Hammel", "food_machinery", True, None),
    ("Midtjysk Biogasstål ApS", "Favrskov", "energy_env", True, None),
    ('Maskinfabrikken "Fremtiden" A/S', "Silkeborg", "food_machinery", True, None),
    ("Skive Kedel- og Beholderfabrik A/S", "Skive", "energy_heat", True, (56.5710, 9.0560)),
    ("Mols Fødevaremaskiner ApS", "Syddjurs", "food_machinery", True, None),
    ("Norddjurs Maskinværksted ApS", "Norddjurs", "other", True, None),
    ("Ikast Vindkomponenter ApS", "Ikast-Brande", "energy_wind", False, None),
    ("H. P. Jensen; Smede- og Maskinværksted ApS", "Syddjurs", "energy_heat", True, None),
    ("Odder Rustfri Transportører ApS", "Odder", "food_machinery", True, None),
    ("Tjele Pladeteknik ApS", "Viborg", "energy_env", True, None),
    ("Sabro Ståldesign ApS", "Aarhus", "food_process", False, None),
    ("Viborg Montageteknik A/S", "Viborg", "other", True, None),
    ("Randers Smedeværksted ApS", "Randers", "other", False, None),
    ("Søften Energistål ApS", "Favrskov", "energy_heat", True, None),
]

# Approximate municipality centroids (only used here to make relations local; the loader has
# its own table). Old names (Århus, Grenaa, Bjerringbro, ...) are the former municipalities.
CENTROIDS = {
    "Aarhus": (56.16, 10.20), "Århus": (56.16, 10.20), "Randers": (56.46, 10.04),
    "Silkeborg": (56.17, 9.55), "Skanderborg": (56.04, 9.93), "Favrskov": (56.27, 10.06),
    "Syddjurs": (56.30, 10.48), "Norddjurs": (56.42, 10.70), "Odder": (55.97, 10.15),
    "Viborg": (56.45, 9.40), "Skive": (56.57, 9.03), "Herning": (56.14, 8.97),
    "Holstebro": (56.36, 8.62), "Ikast-Brande": (56.14, 9.16), "Horsens": (55.86, 9.85),
    "Hedensted": (55.77, 9.70), "Ringkøbing-Skjern": (56.09, 8.24), "Struer": (56.49, 8.59),
    "Lemvig": (56.55, 8.31), "Samsø": (55.85, 10.60), "Bjerringbro": (56.38, 9.66),
    "Kjellerup": (56.29, 9.43), "Hadsten": (56.33, 10.05), "Ry": (56.09, 9.77),
    "Hammel": (56.26, 9.86), "Grenaa": (56.42, 10.88),
}
FORMER_AARHUS_VIBORG = {
    "Aarhus", "Århus", "Randers", "Silkeborg", "Skanderborg", "Favrskov", "Syddjurs",
    "Norddjurs", "Odder", "Viborg", "Skive", "Bjerringbro", "Kjellerup", "Hadsten", "Ry",
    "Hammel", "Grenaa",
}

N_RELATIONS = 27            # valid relations among the firms
UNKNOWN_FIRM_ID = "38145562"  # a firm that declined the interview: not in firms.csv
UNKNOWN_RELATION_ROW = 11     # its 0-based position among the relation rows
BLANK_SHARE_FIRMS = 3         # firms with one market share left blank (loader imputes it)
BLANK_LIKERT = {"collab_willingness": 2, "growth_ambition": 2, "absorptive_capacity": 2}


class Rng:
    """Thin layer over random.Random that only ever calls random() (stable across versions)."""

    def __init__(self, seed: int):
        self._r = random.Random(seed)

    def u(self, lo: float = 0.0, hi: float = 1.0) -> float:
        return lo + (hi - lo) * self._r.random()

    def below(self, n: int) -> int:
        return min(int(self._r.random() * n), n - 1)

    def normal(self, mu: float = 0.0, sd: float = 1.0) -> float:
        # Box-Muller on two uniforms.
        u1 = 1.0 - self._r.random()
        u2 = self._r.random()
        return mu + sd * math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)

    def weighted(self, weights: dict):
        keys = sorted(weights)
        total = sum(weights[k] for k in keys)
        x = self._r.random() * total
        for k in keys:
            x -= weights[k]
            if x < 0:
                return k
        return keys[-1]

    def sample_weighted(self, weights: dict, k: int) -> list:
        pool = dict(weights)
        out = []
        for _ in range(min(k, len(pool))):
            key = self.weighted(pool)
            out.append(key)
            del pool[key]
        return out


def cvr_checksum_ok(num: str) -> bool:
    w = [2, 7, 6, 5, 4, 3, 2, 1]
    return sum(int(d) * x for d, x in zip(num, w)) % 11 == 0


def make_firm_id(rng: Rng, used: set) -> str:
    # 8 digits like a CVR number, but deliberately FAILING the CVR modulus-11 check, so no id
    # can be a real company's registration number.
    while True:
        num = str(rng.below(90_000_000) + 10_000_000)
        if not cvr_checksum_ok(num) and num not in used and num != UNKNOWN_FIRM_ID:
            used.add(num)
            return num


def likert(rng: Rng, mean: float, sd: float = 0.7, lo: int = 1, hi: int = 5) -> int:
    return max(lo, min(hi, int(round(rng.normal(mean, sd)))))


def km(a, b) -> float:
    (la1, lo1), (la2, lo2) = a, b
    dy = (la1 - la2) * 111.2
    dx = (lo1 - lo2) * 111.2 * math.cos(math.radians((la1 + la2) / 2))
    return math.hypot(dx, dy)


def dk_number(x: float, decimals: int) -> str:
    return f"{x:.{decimals}f}".replace(".", ",")


def excel_field(s: str) -> str:
    if any(c in s for c in ';"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def generate():
    rng = Rng(SEED)
    used_ids: set = set()
    firms = []
    for name, muni, profile, participant, loc in FIRMS:
        seg = MAIN_SEGMENT[profile]
        f = {"name": name, "municipality": muni, "profile": profile, "segment": seg,
             "participant": participant, "loc": loc}
        f["firm_id"] = make_firm_id(rng, used_ids)
        # Medium-sized: log-normal around 100 employees, within 50..249.
        emp = int(round(math.exp(rng.normal(math.log(100), 0.38))))
        f["employees"] = max(52, min(240, emp))
        f["revenue_mdkk"] = round(f["employees"] * rng.u(1.04, 1.46), 1)
        # Export: wind and machinery firms export most; blank = 0 for one firm below.
        exp_mean = {"energy_wind": 0.45, "energy_heat": 0.25, "energy_env": 0.3,
                    "food_process": 0.2, "food_machinery": 0.35, "other": 0.1}[profile]
        f["export_share"] = round(max(0.0, min(0.85, rng.normal(exp_mean, 0.12))), 2)
        # Domestic market shares in hundredths: the main segment clearly largest.
        main = int(round(rng.u(48, 82)))
        rest = 100 - main
        second = int(round(rest * rng.u(0.45, 0.9)))
        third = rest - second
        if third >= main:  # cannot happen with main >= 48, kept as a guard
            raise AssertionError("main segment not largest")
        order = {"food": ("food", "other", "energy"), "energy": ("energy", "other", "food"),
                 "other": ("other", "food", "energy")}[seg]
        if seg != "other" and rng.u() < 0.35:  # some serve both target segments
            order = (order[0], order[2], order[1])
        shares = dict(zip(order, (main, second, third)))
        f["shares"] = shares  # hundredths; keys food/energy/other
        # Capabilities: profile mean + noise; a weak capability is often left blank (= none).
        caps = {}
        for cap, mean in zip(CAPS, PROFILES[profile]):
            if cap == "export_sales":
                mean += (f["export_share"] - 0.25) * 5
            lvl = likert(rng, mean, 0.75)
            if mean < 2.0 and lvl <= 1 and rng.u() < 0.75:
                caps[cap] = None
            elif mean < 1.0 and lvl <= 2 and rng.u() < 0.6:
                caps[cap] = None
            else:
                caps[cap] = lvl
        f["caps"] = caps
        # Soft answers: targets were chosen because they rarely collaborate.
        if participant:
            f["collab_willingness"] = rng.weighted({1: 0.10, 2: 0.47, 3: 0.35, 4: 0.08})
        else:
            f["collab_willingness"] = rng.weighted({2: 0.3, 3: 0.4, 4: 0.3})
        f["growth_ambition"] = likert(rng, 3.4, 0.8, 2, 5)
        f["absorptive_capacity"] = likert(rng, 2.9, 0.7, 1, 5)
        n_tags = rng.weighted({1: 0.35, 2: 0.45, 3: 0.2})
        f["dev"] = sorted(rng.sample_weighted(DEV_PREFS[profile], n_tags),
                          key=DEV_TAGS.index)
        firms.append(f)

    # Missing answers, as interview sheets have them.
    order = list(range(len(firms)))
    picks = []
    while len(picks) < BLANK_SHARE_FIRMS + sum(BLANK_LIKERT.values()) + 3:
        i = order[rng.below(len(order))]
        if i not in picks:
            picks.append(i)
    k = 0
    for i in picks[k:k + BLANK_SHARE_FIRMS]:
        f = firms[i]
        candidates = [s for s in ("food", "energy", "other")
                      if s != f["segment"] and f["shares"][s] > 0]
        f["blank_share"] = min(candidates, key=lambda s: f["shares"][s])
    k += BLANK_SHARE_FIRMS
    for col, n in BLANK_LIKERT.items():
        for i in picks[k:k + n]:
            firms[i][col] = None
        k += n
    firms[picks[k]]["export_blank"] = True      # blank export_share = 0
    firms[picks[k]]["export_share"] = 0.0
    firms[picks[k + 1]]["dev"] = []              # no dev opportunity recorded
    firms[picks[k + 2]]["dev"] = []

    relations = make_relations(rng, firms)
    return firms, relations


def make_relations(rng: Rng, firms):
    """Mostly weak trade relations between nearby firms, a few knowledge ties, two partners."""
    def where(f):
        return f["loc"] or CENTROIDS[f["municipality"]]

    complement = {("food", "food"): 1.0, ("energy", "energy"): 1.0, ("other", "other"): 0.4,
                  ("food", "other"): 1.2, ("energy", "other"): 1.2, ("food", "energy"): 0.5}
    weights = {}
    for i in range(len(firms)):
        for j in range(i + 1, len(firms)):
            a, b = firms[i], firms[j]
            key = tuple(sorted((a["segment"], b["segment"]), key=["food", "energy", "other"].index))
            w = math.exp(-km(where(a), where(b)) / 35.0) * complement[key]
            w *= 0.6 if not (a["participant"] and b["participant"]) else 1.0
            weights[(i, j)] = w
    pairs = rng.sample_weighted(weights, N_RELATIONS)
    rows = []
    n_partner = 0
    for (i, j) in pairs:
        a, b = firms[i], firms[j]
        kind = rng.weighted({"trade": 0.75, "knowledge": 0.25})
        if n_partner < 2 and a["participant"] and b["participant"] and \
                a["segment"] == b["segment"]:
            kind = "partner"  # exactly two earlier joint projects among the targets
        if kind == "trade":
            # Subcontracting: the "other"/smaller firm supplies the larger one.
            supplier_first = a["employees"] <= b["employees"]
            if rng.u() < 0.5:
                rtype = "supplier" if supplier_first else "customer"
            else:
                rtype = "customer" if supplier_first else "supplier"
                a, b = b, a
            strength = rng.weighted({1: 0.25, 2: 0.4, 3: 0.23, 4: 0.09, 5: 0.03})
        elif kind == "knowledge":
            rtype = "knowledge"
            strength = rng.weighted({1: 0.45, 2: 0.4, 3: 0.15})
        else:
            rtype = "partner"
            n_partner += 1
            strength = rng.weighted({3: 0.5, 4: 0.5})
        if rng.u() < 0.5:
            a, b = b, a
            if rtype == "supplier":
                rtype = "customer"
            elif rtype == "customer":
                rtype = "supplier"
        rows.append((a["firm_id"], b["firm_id"], rtype, strength))
    # One relation names a firm that is not in firms.csv: it declined the interview. The loader
    # reports it and skips it (tests rely on this row).
    known = firms[rng.below(len(firms))]
    rows.insert(UNKNOWN_RELATION_ROW, (known["firm_id"], UNKNOWN_FIRM_ID, "customer", 2))
    return rows


def firms_csv(firms) -> bytes:
    header = (["firm_id", "name", "municipality", "lat", "lon", "employees", "revenue_mdkk",
               "export_share", "market_food", "market_energy_env", "market_other"]
              + ["cap_" + c for c in CAPS]
              + ["collab_willingness", "growth_ambition", "absorptive_capacity",
                 "dev_opportunities", "participant"])
    lines = [";".join(header)]
    for f in firms:
        lat, lon = ("", "") if f["loc"] is None else (dk_number(f["loc"][0], 4),
                                                      dk_number(f["loc"][1], 4))
        shares = []
        for s in ("food", "energy", "other"):
            shares.append("" if f.get("blank_share") == s else dk_number(f["shares"][s] / 100, 2))
        row = [f["firm_id"], excel_field(f["name"]), f["municipality"], lat, lon,
               str(f["employees"]), dk_number(f["revenue_mdkk"], 1),
               "" if f.get("export_blank") else dk_number(f["export_share"], 2), *shares]
        row += ["" if f["caps"][c] is None else str(f["caps"][c]) for c in CAPS]
        row += ["" if f[c] is None else str(f[c])
                for c in ("collab_willingness", "growth_ambition", "absorptive_capacity")]
        row += ["|".join(f["dev"]), "ja" if f["participant"] else "nej"]
        assert len(row) == len(header)
        lines.append(";".join(row))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def relations_csv(rows) -> bytes:
    lines = ["firm_a,firm_b,type,strength"]
    lines += [f"{a},{b},{t},{s}" for a, b, t, s in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def catalogue_yaml() -> bytes:
    out = io.StringIO()
    out.write("# Capability catalogue for the FICTIONAL Midtjylland sample data.\n")
    out.write("# Written by scripts/make_sample_data.py; edit that script, not this file.\n")
    out.write("#\n")
    out.write("# One entry per cap_<name> column of midtjylland_firms.csv (without `cap_`):\n")
    out.write("#   weights   how often an opportunity in each segment requires the capability\n")
    out.write("#             (relative; 0 = never): food, energy_environment, other, export\n")
    out.write("#   dev_tags  the dev_opportunities tags (interview) that upgrade it\n")
    out.write(f"# Dev tags in use: {', '.join(DEV_TAGS)}.\n")
    for name, wf, we, wo, wx, tags, comment in CATALOGUE:
        out.write(f"\n# {comment}\n")
        out.write(f"{name}:\n")
        out.write(f"  weights: {{food: {wf:g}, energy_environment: {we:g}, other: {wo:g}, "
                  f"export: {wx:g}}}\n")
        out.write(f"  dev_tags: [{', '.join(tags)}]\n")
    return out.getvalue().encode("utf-8")


def check_bands(firms, relations):
    """The bands of product.md ("Interview data"); the plausibility tests rely on them."""
    targets = [f for f in firms if f["participant"]]
    others = [f for f in firms if not f["participant"]]
    ids = {f["firm_id"] for f in firms}
    assert len(ids) == len(firms), "firm_id not unique"
    assert all(len(i) == 8 and i.isdigit() and not cvr_checksum_ok(i) for i in ids)
    assert 28 <= len(targets) <= 36, f"{len(targets)} target firms, want 28..36"
    assert 3 <= len(others) <= 10, f"{len(others)} other firms, want 3..10"
    for f in firms:
        assert f["municipality"] in CENTROIDS, f["municipality"]
        assert 50 <= f["employees"] <= 249, (f["name"], f["employees"])
        rpe = f["revenue_mdkk"] / f["employees"]
        assert 1.0 <= rpe <= 1.5, (f["name"], rpe)
        assert 0.0 <= f["export_share"] <= 1.0
        assert sum(f["shares"].values()) == 100, f["name"]
        main = max(f["shares"], key=lambda s: f["shares"][s])
        assert main == f["segment"] and sorted(f["shares"].values())[-2] < f["shares"][main]
        if f["loc"]:
            assert 56.0 <= f["loc"][0] <= 56.8 and 8.5 <= f["loc"][1] <= 10.9, f["name"]
        for c in ("collab_willingness", "growth_ambition", "absorptive_capacity"):
            assert f[c] is None or 1 <= f[c] <= 5
        assert all(v is None or 1 <= v <= 5 for v in f["caps"].values())
        assert all(t in DEV_TAGS for t in f["dev"])
    local = sum(f["municipality"] in FORMER_AARHUS_VIBORG for f in firms)
    assert local >= 0.75 * len(firms), "mostly the former Aarhus and Viborg counties"
    assert sum(f["loc"] is not None for f in firms) in range(3, 8), "a few explicit lat/lon"
    for group in (targets, firms):
        med = statistics.median(f["employees"] for f in group)
        assert 80 <= med <= 130, f"median employees {med}, want 80..130"
        mexp = statistics.mean(f["export_share"] for f in group)
        assert 0.2 <= mexp <= 0.4, f"mean export share {mexp:.3f}, want 0.2..0.4"
    for seg in ("food", "energy"):
        n = sum(f["segment"] == seg for f in targets)
        assert 3 * n >= len(targets), f"{seg} main segment of {n} targets, want >= 1/3"
    assert 10 <= len(CAPS) <= 14
    assert 2 <= sum("blank_share" in f for f in firms) <= 3
    will = [f["collab_willingness"] for f in targets if f["collab_willingness"] is not None]
    assert sum(w in (2, 3) for w in will) >= 0.7 * len(will), "willingness mostly 2..3"
    # Every capability is held (>= 3) by some firm; every dev tag upgrades some capability.
    for c in CAPS:
        assert sum((f["caps"][c] or 0) >= 3 for f in firms) >= 2, f"nobody is good at {c}"
    # Relations.
    valid = [r for r in relations if r[0] in ids and r[1] in ids]
    assert len(relations) - len(valid) == 1, "exactly one relation names an unknown firm"
    assert not cvr_checksum_ok(UNKNOWN_FIRM_ID)
    assert 15 <= len(valid) <= 40, f"{len(valid)} relations, want 15..40"
    pairs = {frozenset(r[:2]) for r in valid}
    assert len(pairs) == len(valid) and all(len(p) == 2 for p in pairs), "duplicate/self pair"
    weak = sum(1 <= r[3] <= 3 for r in valid)
    assert weak >= 0.75 * len(valid), f"only {weak}/{len(valid)} relations weak"
    assert all(r[2] in ("supplier", "customer", "partner", "knowledge") for r in relations)
    assert 1 <= sum(r[2] == "partner" for r in valid) <= 3, "few partner relations"
    return targets, others, valid


def summary(firms, targets, others, valid) -> str:
    def seg_count(group, seg):
        return sum(f["segment"] == seg for f in group)

    lines = []
    lines.append(f"firms: {len(firms)} ({len(targets)} target, {len(others)} non-participating)")
    lines.append("main segment of targets: food {}, energy_environment {}, other {}".format(
        seg_count(targets, "food"), seg_count(targets, "energy"), seg_count(targets, "other")))
    for label, group in (("targets", targets), ("all", firms)):
        emp = [f["employees"] for f in group]
        rpe = [f["revenue_mdkk"] / f["employees"] for f in group]
        lines.append(
            f"{label}: employees median {statistics.median(emp):g} (min {min(emp)}, max "
            f"{max(emp)}); revenue/employee {min(rpe):.2f}..{max(rpe):.2f} mDKK "
            f"(mean {statistics.mean(rpe):.2f}); revenue total "
            f"{sum(f['revenue_mdkk'] for f in group):.1f} mDKK; mean export share "
            f"{statistics.mean(f['export_share'] for f in group):.3f}")
    will = [f["collab_willingness"] for f in targets if f["collab_willingness"] is not None]
    lines.append("target collab_willingness: " + ", ".join(
        f"{v}: {will.count(v)}" for v in range(1, 6)) + f" (blank {len(targets) - len(will)})")
    lines.append(f"capabilities: {len(CAPS)} ({', '.join(CAPS)})")
    blanks = sum(v is None for f in firms for v in f["caps"].values())
    lines.append(f"blank capability answers (= none): {blanks}")
    lines.append("missing answers: market share {}, willingness {}, ambition {}, absorptive {}, "
                 "export_share {}, dev_opportunities {}".format(
                     sum("blank_share" in f for f in firms),
                     sum(f["collab_willingness"] is None for f in firms),
                     sum(f["growth_ambition"] is None for f in firms),
                     sum(f["absorptive_capacity"] is None for f in firms),
                     sum(bool(f.get("export_blank")) for f in firms),
                     sum(not f["dev"] for f in firms)))
    lines.append(f"explicit lat/lon: {sum(f['loc'] is not None for f in firms)} firms; "
                 f"municipalities: {len({f['municipality'] for f in firms})}")
    types = {t: sum(r[2] == t for r in valid) for t in ("supplier", "customer", "partner",
                                                         "knowledge")}
    strengths = {s: sum(r[3] == s for r in valid) for s in range(1, 6)}
    lines.append(f"relations: {len(valid)} valid + 1 to an unknown firm ({UNKNOWN_FIRM_ID}); "
                 f"types {types}; strength {strengths}; weak (1-3) "
                 f"{sum(r[3] <= 3 for r in valid) / len(valid):.0%}")
    touched = {x for r in valid for x in r[:2]}
    lines.append(f"firms with at least one interview relation: {len(touched)} of {len(firms)}")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder")
    ap.add_argument("--check", action="store_true",
                    help="write nothing; exit 1 if the files in --out differ from the output")
    args = ap.parse_args()

    firms, relations = generate()
    targets, others, valid = check_bands(firms, relations)
    files = {
        "midtjylland_firms.csv": firms_csv(firms),
        "midtjylland_relations.csv": relations_csv(relations),
        "midtjylland_catalogue.yaml": catalogue_yaml(),
    }
    if args.check:
        stale = [n for n, data in files.items()
                 if not (args.out / n).is_file() or (args.out / n).read_bytes() != data]
        if stale:
            print("out of date: " + ", ".join(stale), file=sys.stderr)
            return 1
        print("sample data up to date")
        return 0
    args.out.mkdir(parents=True, exist_ok=True)
    for n, data in files.items():
        (args.out / n).write_bytes(data)
    print("FICTIONAL sample data written to " + str(args.out))
    print(summary(firms, targets, others, valid))
    return 0


if __name__ == "__main__":
    sys.exit(main())
