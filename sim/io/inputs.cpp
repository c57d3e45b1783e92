#include "sim/io/inputs.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "sim/core/errors.hpp"
#include "sim/io/csv.hpp"
#include "sim/io/interview_csv.hpp"
#include "sim/io/scenario_yaml.hpp"
#include "sim/io/synthetic.hpp"

namespace klynge {

std::string Inputs::pseudonym_of(const std::string& firm_id) const {
  for (const auto& f : population.firms)
    if (f.firm_id == firm_id) return f.pseudonym;
  return firm_id;
}

namespace {

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         (static_cast<unsigned char>(c) & 0x80);  // UTF-8 letters (æ, ø, å) continue a word
}

std::string ascii_lower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

}  // namespace

std::string Inputs::pseudonymise(
    const std::string& text, const std::vector<std::pair<std::size_t, std::size_t>>& keep) const {
  // Every match [begin, end) -> pseudonym, found on a lowercased copy; longest first where
  // matches overlap (a name that contains another firm's id).
  struct Match {
    std::size_t begin, end;
    const std::string* pseudonym;
  };
  std::vector<Match> matches;
  const std::string lowered = ascii_lower(text);
  const auto kept = [&](std::size_t begin, std::size_t end) {
    return std::any_of(keep.begin(), keep.end(),
                       [&](const auto& r) { return begin >= r.first && end <= r.second; });
  };
  for (const auto& firm : population.firms) {
    if (firm.synthetic) continue;  // synthetic ids are their own pseudonyms
    // The name also without its legal form: a description says "Djurs Stålteknik", not
    // "Djurs Stålteknik A/S".
    std::string short_name = firm.name;
    for (const char* form :
         {" ApS", " A/S", " I/S", " K/S", " P/S", " IVS", " AmbA", " GmbH", " AB", " Ltd"}) {
      const std::string suffix = ascii_lower(form);
      if (short_name.size() > suffix.size() + 3 && ascii_lower(short_name).ends_with(suffix))
        short_name.resize(short_name.size() - suffix.size());
    }
    const std::string* const secrets[] = {&firm.firm_id, &firm.name, &short_name};
    for (const std::string* secret : secrets) {
      const std::string needle = ascii_lower(*secret);
      if (needle.empty()) continue;
      for (std::size_t at = lowered.find(needle); at != std::string::npos;
           at = lowered.find(needle, at + 1)) {
        const std::size_t end = at + needle.size();
        const bool starts_word = at == 0 || !is_word_char(text[at - 1]) || !is_word_char(text[at]);
        const bool ends_word =
            end == text.size() || !is_word_char(text[end]) || !is_word_char(text[end - 1]);
        if (!starts_word || !ends_word) continue;
        if (secret == &firm.firm_id && kept(at, end)) continue;
        matches.push_back({at, end, &firm.pseudonym});
      }
    }
  }
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::string out;
  std::size_t pos = 0;
  for (const auto& m : matches) {
    if (m.begin < pos) continue;  // inside a longer match already replaced
    out.append(text, pos, m.begin - pos);
    out += *m.pseudonym;
    pos = m.end;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

Inputs assemble_inputs(Scenario scenario, Population population) {
  Inputs in;
  in.scenario = std::move(scenario);
  in.population = std::move(population);
  const auto& caps = in.population.capability_names;

  // Catalogue aligned with the data's capabilities.
  std::set<std::string> known_tags;
  for (const auto& name : caps) {
    const auto it = std::find_if(in.scenario.catalogue.begin(), in.scenario.catalogue.end(),
                                 [&](const CatalogueEntry& e) { return e.capability == name; });
    if (it == in.scenario.catalogue.end()) {
      in.catalogue_weights.push_back({1, 1, 1, 1});
      in.warnings.push_back("capability '" + name +
                            "' is not in the catalogue: uniform segment weights used");
    } else {
      in.catalogue_weights.push_back(it->weights);
      known_tags.insert(it->dev_tags.begin(), it->dev_tags.end());
    }
  }
  for (const auto& entry : in.scenario.catalogue)
    if (std::find(caps.begin(), caps.end(), entry.capability) == caps.end())
      in.warnings.push_back("catalogue capability '" + entry.capability + "' has no cap_" +
                            entry.capability + " column in the interview data");

  // Development opportunities -> capabilities via the catalogue's dev_tags.
  std::set<std::string> unknown_tags;
  for (const auto& firm : in.population.firms) {
    std::vector<int> upgrades;
    for (const auto& tag : firm.dev_opportunities) {
      bool mapped = false;
      for (std::size_t c = 0; c < caps.size(); ++c) {
        const auto it =
            std::find_if(in.scenario.catalogue.begin(), in.scenario.catalogue.end(),
                         [&](const CatalogueEntry& e) { return e.capability == caps[c]; });
        if (it == in.scenario.catalogue.end()) continue;
        if (std::find(it->dev_tags.begin(), it->dev_tags.end(), tag) == it->dev_tags.end())
          continue;
        mapped = true;
        if (std::find(upgrades.begin(), upgrades.end(), static_cast<int>(c)) == upgrades.end())
          upgrades.push_back(static_cast<int>(c));
      }
      if (!mapped) unknown_tags.insert(tag);
    }
    std::sort(upgrades.begin(), upgrades.end());
    in.dev_capabilities.push_back(std::move(upgrades));
  }
  for (const auto& tag : unknown_tags)
    in.warnings.push_back("development opportunity '" + tag +
                          "' is not a dev_tag of any catalogue capability: it upgrades nothing");

  // Explicit targets: firm ids must exist in the population: interview firm_ids, or the ids of
  // synthetic firms (S000001, ...), which are also their pseudonyms.
  const auto& firms_list = in.population.firms;
  const bool interviewed = std::any_of(firms_list.begin(), firms_list.end(),
                                       [](const FirmRecord& f) { return !f.synthetic; });
  for (const auto& variant : in.scenario.variants) {
    std::vector<std::vector<int>> per_intervention;
    for (const auto& spec : variant.interventions) {
      std::vector<int> firms;
      for (const auto& id : spec.target.firm_ids) {
        const auto it = std::find_if(firms_list.begin(), firms_list.end(),
                                     [&](const FirmRecord& f) { return f.firm_id == id; });
        const std::string key =
            "variants." + variant.name + ".interventions." + spec.id + ".target.firms";
        if (it == firms_list.end() && interviewed)
          throw InputError({in.scenario.source_path, spec.source_line, 0}, key,
                           "firm_id \"" + id + "\" is not in the interview data");
        if (it == firms_list.end())
          throw InputError({in.scenario.source_path, spec.source_line, 0}, key,
                           "firm_id \"" + id +
                               "\" is not in the population: the scenario has no interview data "
                               "(population.firms), only synthetic firms" +
                               (firms_list.empty() ? std::string()
                                                   : ", named " + firms_list.front().firm_id +
                                                         " to " + firms_list.back().firm_id));
        firms.push_back(static_cast<int>(it - in.population.firms.begin()));
      }
      std::sort(firms.begin(), firms.end());
      firms.erase(std::unique(firms.begin(), firms.end()), firms.end());
      per_intervention.push_back(std::move(firms));
    }
    in.explicit_targets.push_back(std::move(per_intervention));
  }
  if (in.population.firms.empty())
    throw InputError({in.scenario.source_path, 0, 0}, "population",
                     "the scenario has no firms: give population.firms (interview data) or "
                     "population.synthetic.firms");

  // An empty target group (e.g. a purely synthetic population without
  // population.synthetic.participants) is allowed: the default target (`enrolled`) and the
  // `segment` and `top` targets select from the target group, so only interventions with
  // explicit `firms` targets reach anyone, and only firms a recruitment enrolled.
  const bool has_participant = std::any_of(firms_list.begin(), firms_list.end(),
                                           [](const FirmRecord& f) { return f.participant; });
  const bool reaches_group =
      std::any_of(in.scenario.variants.begin(), in.scenario.variants.end(), [](const Variant& v) {
        return std::any_of(
            v.interventions.begin(), v.interventions.end(),
            [](const InterventionSpec& i) { return i.target.kind != Target::Kind::firms; });
      });
  if (!has_participant && reaches_group)
    in.warnings.push_back(
        "no firm is in the programme's target group (no interviewed firm has participant = "
        "yes, and population.synthetic.participants is 0): an intervention without a "
        "`target: {firms: [...]}` reaches no firm, and no firm is enrolled unless a recruitment "
        "names it in such a target");
  return in;
}

Inputs load_inputs(const std::string& scenario_path) {
  Scenario scenario = load_scenario(scenario_path);
  Population population;
  // A data file that cannot be read (missing, a folder, a device, too large) is the scenario's
  // error: say which key points at it.
  std::string texts[2];
  const std::pair<const char*, const std::string*> files[2] = {
      {"population.firms", &scenario.firms_path},
      {"population.relations", &scenario.relations_path}};
  for (int i = 0; i < 2; ++i) {
    const std::string& path = *files[i].second;
    if (path.empty()) continue;
    try {
      texts[i] = csv::read_file(path);
    } catch (const InputError& e) {
      const bool missing = e.message().ends_with("no such file");
      throw InputError(
          {scenario.source_path, 0, 0}, files[i].first,
          e.message() + " (\"" + path + "\"" +
              (missing ? "; relative paths are relative to the scenario's folder" : "") + ")");
    }
  }
  if (!scenario.firms_path.empty())
    population = parse_population(texts[0], scenario.firms_path, texts[1], scenario.relations_path);
  if (scenario.synthetic.firms > 0)
    add_synthetic_firms(population, scenario.synthetic.firms, scenario.seed,
                        scenario.synthetic.participants);
  return assemble_inputs(std::move(scenario), std::move(population));
}

}  // namespace klynge
