// Written by scripts/fit-injection-combination.mjs: do not edit. The weights, feature by feature:
//   bias: -0.1477
//   model: 0.5921
//   peak: 0.5757
//   chunks: -0.0035
//   rule_score: 0.32
//   rule_block: 0.5348
//   about: -0.4215
//   phrase_only: -0.0719
//   role: -0.0159
//   rule_block*peak: 0.196
//   about*peak: -0.2463
//   long*model: -0.0194
//   no_rule: -0.2682
//   no_rule*model: 0.272
//   no_rule*peak: 0.1633
//   no_rule*long: 0.0307
//   other_rule: 0.0051
//   addressed_to_model: 0.1393
//   bypass_confirmation: 0.0062
//   chat_template: -0.0052
//   command_injection: 0.0027
//   concealment: -0.002
//   concealment_hint: 0.1649
//   cover_tracks: 0.0371
//   data_exfiltration: -0.038
//   destructive_command: 0.0216
//   directive_exfiltration: 0.0765
//   directive_tool: 0.0954
//   exfiltration_hint: -0.1317
//   hidden_block: 0.0266
//   hidden_comment: -0.0057
//   hidden_style: 0.0028
//   instruction_override: -0.1019
//   link_with_query: 0.0023
//   model_directive: -0.0188
//   override_hint: -0.1148
//   path_to_destination: 0.0112
//   redirect_hint: 0.0091
//   remote_script: 0.0069
//   restriction_removal: -0.0006
//   role_hijack: -0.0331
//   role_hint: -0.0082
//   secret_file_access: 0.0415
//   secret_hint: -0.0128
//   secret_request: -0.0099
//   sensitive_path: -0.0474
//   shadowing: 0.0125
//   tool_coercion: -0.0108
//   tool_invocation: 0.0012
//   transcript_turn: 0.0223
//   user_manipulation: -0.0025
//   user_override: 0.0078
//   zero_width: 0.0979
import type { CombinationWeights } from './combination-format.js';

export const COMBINATION_WEIGHTS: CombinationWeights = {
  rules: [
    'addressed_to_model',
    'bypass_confirmation',
    'chat_template',
    'command_injection',
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
    -0.1477, 0.5921, 0.5757, -0.0035, 0.32, 0.5348, -0.4215, -0.0719, -0.0159, 0.196, -0.2463, -0.0194, -0.2682, 0.272, 0.1633, 0.0307, 0.0051, 0.1393, 0.0062,
    -0.0052, 0.0027, -0.002, 0.1649, 0.0371, -0.038, 0.0216, 0.0765, 0.0954, -0.1317, 0.0266, -0.0057, 0.0028, -0.1019, 0.0023, -0.0188, -0.1148, 0.0112,
    0.0091, 0.0069, -0.0006, -0.0331, -0.0082, 0.0415, -0.0128, -0.0099, -0.0474, 0.0125, -0.0108, 0.0012, 0.0223, -0.0025, 0.0078, 0.0979,
  ],
  threshold: 0.87,
  vetoPeak: 0.1,
  aloneScore: 0.5,
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
      'author42',
      'author43',
      'author44',
      'author45',
      'author46',
      'author47',
      'author48',
      'author49',
      'author50',
      'author51',
      'author6',
      'author7',
      'author8',
      'author9',
    ],
    heldOut: {
      caught: 0.8101,
      blocked: 0.054,
      injections: 5925,
      benign: 5857,
    },
    lambda: 0.01,
    epochs: 300,
  },
};
