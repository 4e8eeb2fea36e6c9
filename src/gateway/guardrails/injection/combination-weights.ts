// Written by scripts/fit-injection-combination.mjs: do not edit. The weights, feature by feature:
//   bias: -0.2664
//   model: 0.5417
//   peak: 0.5628
//   chunks: 0.0503
//   rule_score: 0.3959
//   rule_block: 0.6567
//   about: -0.5262
//   phrase_only: -0.0109
//   role: -0.0202
//   rule_block*peak: 0.2448
//   about*peak: -0.1944
//   long*model: -0.1969
//   no_rule: -0.3914
//   no_rule*model: 0.3166
//   no_rule*peak: 0.0079
//   no_rule*long: -0.061
//   other_rule: 0.0045
//   addressed_to_model: 0.1791
//   bypass_confirmation: 0.0347
//   chat_template: -0.0077
//   concealment: -0.0029
//   concealment_hint: 0.2411
//   cover_tracks: 0.0446
//   data_exfiltration: -0.0542
//   destructive_command: 0.0113
//   directive_exfiltration: 0.0711
//   directive_tool: 0.1265
//   exfiltration_hint: -0.1087
//   hidden_block: 0.0116
//   hidden_comment: -0.0003
//   hidden_style: -0.0046
//   instruction_override: -0.1263
//   link_with_query: 0.0014
//   model_directive: -0.0116
//   override_hint: -0.1321
//   path_to_destination: -0.0001
//   redirect_hint: 0.0091
//   remote_script: 0.0032
//   restriction_removal: -0.0032
//   role_hijack: -0.0575
//   role_hint: -0.0158
//   secret_file_access: 0.0351
//   secret_hint: -0.0039
//   secret_request: -0.024
//   sensitive_path: -0.0837
//   shadowing: 0.0085
//   tool_coercion: -0.0103
//   tool_invocation: -0.0075
//   transcript_turn: 0.0253
//   user_override: 0.013
//   zero_width: 0.1136
import type { CombinationWeights } from './combination-format.js';

export const COMBINATION_WEIGHTS: CombinationWeights = {
  rules: [
    'addressed_to_model',
    'bypass_confirmation',
    'chat_template',
    'concealment',
    'concealment_hint',
    'cover_tracks',
    'data_exfiltration',
    'destructive_command',
    'directive_exfiltration',
    'directive_tool',
    'exfiltration_hint',
    'hidden_block',
    'hidden_comment',
    'hidden_style',
    'instruction_override',
    'link_with_query',
    'model_directive',
    'override_hint',
    'path_to_destination',
    'redirect_hint',
    'remote_script',
    'restriction_removal',
    'role_hijack',
    'role_hint',
    'secret_file_access',
    'secret_hint',
    'secret_request',
    'sensitive_path',
    'shadowing',
    'tool_coercion',
    'tool_invocation',
    'transcript_turn',
    'user_override',
    'zero_width',
  ],
  weights: [
    -0.2664, 0.5417, 0.5628, 0.0503, 0.3959, 0.6567, -0.5262, -0.0109, -0.0202, 0.2448, -0.1944, -0.1969, -0.3914, 0.3166, 0.0079, -0.061, 0.0045, 0.1791,
    0.0347, -0.0077, -0.0029, 0.2411, 0.0446, -0.0542, 0.0113, 0.0711, 0.1265, -0.1087, 0.0116, -0.0003, -0.0046, -0.1263, 0.0014, -0.0116, -0.1321, -0.0001,
    0.0091, 0.0032, -0.0032, -0.0575, -0.0158, 0.0351, -0.0039, -0.024, -0.0837, 0.0085, -0.0103, -0.0075, 0.0253, 0.013, 0.1136,
  ],
  threshold: 0.8,
  vetoPeak: 0.1,
  aloneScore: 0.5,
  meta: {
    fitted: '2026-11-26',
    untuned: [
      'author13',
      'author14',
      'author16',
      'author17',
      'author18',
      'author21',
      'author22',
      'author23',
      'author26',
      'author3',
      'author33',
      'author34',
      'author35',
      'author4',
      'author6',
      'author7',
      'author8',
      'author9',
    ],
    heldOut: {
      caught: 0.8528,
      blocked: 0.0529,
      injections: 3553,
      benign: 3121,
    },
    lambda: 0.01,
    epochs: 300,
  },
};
