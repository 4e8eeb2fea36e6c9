// Written by scripts/fit-injection-combination.mjs: do not edit. The weights, feature by feature:
//   bias: -0.5675
//   model: 0.3997
//   peak: 0.6605
//   chunks: 0.178
//   rule_score: 0.4195
//   rule_block: 0.7921
//   about: -0.6399
//   phrase_only: -0.0041
//   role: -0.0472
//   rule_block*peak: 0.256
//   about*peak: -0.2221
//   long*model: -0.1771
//   no_rule: -0.408
//   no_rule*model: 0.2517
//   no_rule*peak: 0.0246
//   no_rule*long: -0.1483
//   other_rule: 0.0286
//   addressed_to_model: 0.2501
//   bypass_confirmation: 0.0411
//   chat_template: -0.0349
//   concealment: 0.0111
//   concealment_hint: 0.3189
//   cover_tracks: 0.0779
//   data_exfiltration: -0.0425
//   destructive_command: -0.004
//   directive_exfiltration: 0.104
//   directive_tool: 0.1674
//   exfiltration_hint: -0.2849
//   hidden_block: 0.0136
//   hidden_comment: 0.0099
//   hidden_style: 0.0071
//   instruction_override: -0.1892
//   link_with_query: 0.0025
//   model_directive: 0.0011
//   override_hint: -0.126
//   path_to_destination: 0.0142
//   redirect_hint: 0.0147
//   remote_script: 0.0005
//   restriction_removal: 0.0005
//   role_hijack: -0.083
//   role_hint: -0.0437
//   secret_file_access: 0.0257
//   secret_hint: -0.0335
//   secret_request: -0.0451
//   sensitive_path: -0.1284
//   tool_coercion: -0.0234
//   tool_invocation: -0.022
//   transcript_turn: 0.0364
//   zero_width: 0.1794
import type { CombinationWeights } from './combination.js';

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
    'zero_width',
  ],
  weights: [
    -0.5675, 0.3997, 0.6605, 0.178, 0.4195, 0.7921, -0.6399, -0.0041, -0.0472, 0.256, -0.2221, -0.1771, -0.408, 0.2517, 0.0246, -0.1483, 0.0286, 0.2501, 0.0411,
    -0.0349, 0.0111, 0.3189, 0.0779, -0.0425, -0.004, 0.104, 0.1674, -0.2849, 0.0136, 0.0099, 0.0071, -0.1892, 0.0025, 0.0011, -0.126, 0.0142, 0.0147, 0.0005,
    0.0005, -0.083, -0.0437, 0.0257, -0.0335, -0.0451, -0.1284, -0.0234, -0.022, 0.0364, 0.1794,
  ],
  threshold: 0.66,
  vetoPeak: 0.15,
  aloneScore: 0.85,
  meta: {
    fitted: '2026-11-26',
    untuned: ['author13', 'author14', 'author16', 'author17', 'author18', 'author3', 'author4', 'author6', 'author7', 'author8', 'author9'],
    heldOut: {
      caught: 0.8081,
      blocked: 0.0682,
      injections: 2283,
      benign: 1891,
    },
    lambda: 0.01,
    epochs: 300,
  },
};
