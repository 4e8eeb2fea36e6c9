// Written by scripts/fit-injection-combination.mjs: do not edit. The weights, feature by feature:
//   bias: -0.364
//   model: 0.4948
//   peak: 0.5875
//   chunks: 0.0918
//   rule_score: 0.4114
//   rule_block: 0.7174
//   about: -0.5647
//   phrase_only: -0.0381
//   role: -0.0384
//   rule_block*peak: 0.2398
//   about*peak: -0.181
//   long*model: -0.1595
//   no_rule: -0.3812
//   no_rule*model: 0.297
//   no_rule*peak: 0.0052
//   no_rule*long: -0.0667
//   other_rule: -0.0025
//   addressed_to_model: 0.2005
//   bypass_confirmation: 0.0405
//   chat_template: -0.0162
//   concealment: 0.0054
//   concealment_hint: 0.2604
//   cover_tracks: 0.056
//   data_exfiltration: -0.056
//   destructive_command: 0.0095
//   directive_exfiltration: 0.08
//   directive_tool: 0.128
//   exfiltration_hint: -0.1304
//   hidden_block: 0.0108
//   hidden_comment: 0.0043
//   hidden_style: -0.0069
//   instruction_override: -0.137
//   link_with_query: 0.0015
//   model_directive: -0.0115
//   override_hint: -0.1328
//   path_to_destination: 0.0002
//   redirect_hint: 0.0096
//   remote_script: -0.0021
//   restriction_removal: -0.0011
//   role_hijack: -0.0702
//   role_hint: -0.0369
//   secret_file_access: 0.0358
//   secret_hint: -0.0078
//   secret_request: -0.0287
//   sensitive_path: -0.1013
//   tool_coercion: -0.0182
//   tool_invocation: -0.0168
//   transcript_turn: 0.0203
//   user_override: 0.0173
//   zero_width: 0.1377
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
    'tool_coercion',
    'tool_invocation',
    'transcript_turn',
    'user_override',
    'zero_width',
  ],
  weights: [
    -0.364, 0.4948, 0.5875, 0.0918, 0.4114, 0.7174, -0.5647, -0.0381, -0.0384, 0.2398, -0.181, -0.1595, -0.3812, 0.297, 0.0052, -0.0667, -0.0025, 0.2005,
    0.0405, -0.0162, 0.0054, 0.2604, 0.056, -0.056, 0.0095, 0.08, 0.128, -0.1304, 0.0108, 0.0043, -0.0069, -0.137, 0.0015, -0.0115, -0.1328, 0.0002, 0.0096,
    -0.0021, -0.0011, -0.0702, -0.0369, 0.0358, -0.0078, -0.0287, -0.1013, -0.0182, -0.0168, 0.0203, 0.0173, 0.1377,
  ],
  threshold: 0.64,
  vetoPeak: 0.15,
  aloneScore: 0.85,
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
      'author4',
      'author6',
      'author7',
      'author8',
      'author9',
    ],
    heldOut: {
      caught: 0.82,
      blocked: 0.0551,
      injections: 3105,
      benign: 2669,
    },
    lambda: 0.01,
    epochs: 300,
  },
};
