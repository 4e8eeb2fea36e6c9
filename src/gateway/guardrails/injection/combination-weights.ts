// Written by scripts/fit-injection-combination.mjs: do not edit. The weights, feature by feature:
//   bias: -0.1027
//   model: 0.5571
//   peak: 0.5654
//   chunks: 0.0443
//   rule_score: 0.3581
//   rule_block: 0.6012
//   about: -0.463
//   phrase_only: -0.0622
//   role: -0.027
//   rule_block*peak: 0.2095
//   about*peak: -0.164
//   long*model: -0.104
//   no_rule: -0.3329
//   no_rule*model: 0.2707
//   no_rule*peak: 0.0684
//   no_rule*long: 0.0535
//   other_rule: 0.0102
//   addressed_to_model: 0.1745
//   bypass_confirmation: 0.035
//   chat_template: -0.0108
//   concealment: 0.0185
//   concealment_hint: 0.2028
//   cover_tracks: 0.0402
//   data_exfiltration: -0.0468
//   destructive_command: 0.0094
//   directive_exfiltration: 0.075
//   directive_tool: 0.1036
//   exfiltration_hint: -0.1179
//   hidden_block: 0.0142
//   hidden_comment: -0.0018
//   hidden_style: 0.0013
//   instruction_override: -0.138
//   link_with_query: 0.0022
//   model_directive: -0.0097
//   override_hint: -0.123
//   path_to_destination: 0.0135
//   redirect_hint: 0.0095
//   remote_script: 0.016
//   restriction_removal: -0.0047
//   role_hijack: -0.0446
//   role_hint: -0.0183
//   secret_file_access: 0.0467
//   secret_hint: -0.0073
//   secret_request: -0.0248
//   sensitive_path: -0.0554
//   shadowing: 0.0156
//   tool_coercion: -0.0022
//   tool_invocation: 0.0042
//   transcript_turn: 0.0307
//   user_manipulation: 0.0014
//   user_override: 0.0192
//   zero_width: 0.1036
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
    'user_manipulation',
    'user_override',
    'zero_width',
  ],
  weights: [
    -0.1027, 0.5571, 0.5654, 0.0443, 0.3581, 0.6012, -0.463, -0.0622, -0.027, 0.2095, -0.164, -0.104, -0.3329, 0.2707, 0.0684, 0.0535, 0.0102, 0.1745, 0.035,
    -0.0108, 0.0185, 0.2028, 0.0402, -0.0468, 0.0094, 0.075, 0.1036, -0.1179, 0.0142, -0.0018, 0.0013, -0.138, 0.0022, -0.0097, -0.123, 0.0135, 0.0095, 0.016,
    -0.0047, -0.0446, -0.0183, 0.0467, -0.0073, -0.0248, -0.0554, 0.0156, -0.0022, 0.0042, 0.0307, 0.0014, 0.0192, 0.1036,
  ],
  threshold: 0.78,
  vetoPeak: 0.1,
  aloneScore: 0.8,
  meta: {
    fitted: '2026-11-27',
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
      'author38',
      'author39',
      'author4',
      'author40',
      'author41',
      'author6',
      'author7',
      'author8',
      'author9',
    ],
    heldOut: {
      caught: 0.8374,
      blocked: 0.0601,
      injections: 4410,
      benign: 4242,
    },
    lambda: 0.01,
    epochs: 300,
  },
};
