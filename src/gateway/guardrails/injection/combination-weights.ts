// Written by scripts/fit-injection-combination.mjs: do not edit. The weights, feature by feature:
//   bias: -0.3787
//   model: 0.4797
//   peak: 0.5984
//   chunks: 0.1113
//   rule_score: 0.415
//   rule_block: 0.7223
//   about: -0.5854
//   phrase_only: -0.0303
//   role: -0.0364
//   rule_block*peak: 0.233
//   about*peak: -0.1826
//   long*model: -0.1543
//   no_rule: -0.3882
//   no_rule*model: 0.302
//   no_rule*peak: -0.0176
//   no_rule*long: -0.074
//   other_rule: -0.0121
//   addressed_to_model: 0.2106
//   bypass_confirmation: 0.05
//   chat_template: -0.0167
//   concealment: 0.0061
//   concealment_hint: 0.2784
//   cover_tracks: 0.0639
//   data_exfiltration: -0.0532
//   destructive_command: 0.0077
//   directive_exfiltration: 0.077
//   directive_tool: 0.1336
//   exfiltration_hint: -0.1439
//   hidden_block: 0.0123
//   hidden_comment: 0.0031
//   hidden_style: -0.0064
//   instruction_override: -0.1391
//   link_with_query: 0.0016
//   model_directive: -0.011
//   override_hint: -0.1344
//   path_to_destination: 0.0001
//   redirect_hint: 0.0106
//   remote_script: -0.0059
//   restriction_removal: -0.0024
//   role_hijack: -0.0671
//   role_hint: -0.034
//   secret_file_access: 0.0437
//   secret_hint: -0.0157
//   secret_request: -0.0334
//   sensitive_path: -0.0961
//   tool_coercion: -0.0202
//   tool_invocation: -0.0168
//   transcript_turn: 0.0212
//   user_override: 0.021
//   zero_width: 0.1479
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
    -0.3787, 0.4797, 0.5984, 0.1113, 0.415, 0.7223, -0.5854, -0.0303, -0.0364, 0.233, -0.1826, -0.1543, -0.3882, 0.302, -0.0176, -0.074, -0.0121, 0.2106, 0.05,
    -0.0167, 0.0061, 0.2784, 0.0639, -0.0532, 0.0077, 0.077, 0.1336, -0.1439, 0.0123, 0.0031, -0.0064, -0.1391, 0.0016, -0.011, -0.1344, 0.0001, 0.0106,
    -0.0059, -0.0024, -0.0671, -0.034, 0.0437, -0.0157, -0.0334, -0.0961, -0.0202, -0.0168, 0.0212, 0.021, 0.1479,
  ],
  threshold: 0.78,
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
      'author3',
      'author4',
      'author6',
      'author7',
      'author8',
      'author9',
    ],
    heldOut: {
      caught: 0.8021,
      blocked: 0.0543,
      injections: 2905,
      benign: 2469,
    },
    lambda: 0.01,
    epochs: 300,
  },
};
