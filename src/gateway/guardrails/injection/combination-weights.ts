// Written by scripts/fit-injection-combination.mjs: do not edit. The weights, feature by feature:
//   bias: -0.1885
//   model: 0.5876
//   peak: 0.5904
//   chunks: 0.0047
//   rule_score: 0.3651
//   rule_block: 0.5916
//   about: -0.4224
//   phrase_only: -0.0579
//   role: 0.0035
//   rule_block*peak: 0.1855
//   about*peak: -0.2481
//   long*model: -0.0189
//   no_rule: -0.32
//   no_rule*model: 0.2505
//   no_rule*peak: 0.1334
//   no_rule*long: 0.0402
//   other_rule: 0.0042
//   unread: 0.2237
//   no_rule*unread: 0.2237
//   no_rule*unread*model: 0.1137
//   addressed_to_model: 0.165
//   bypass_confirmation: 0.006
//   chat_template: -0.0056
//   command_injection: 0.0025
//   concealment: -0.0051
//   concealment_hint: 0.1603
//   cover_tracks: 0.0366
//   data_exfiltration: -0.0399
//   destructive_command: 0.0228
//   directive_exfiltration: 0.0713
//   directive_tool: 0.1111
//   exfiltration_hint: -0.1335
//   hidden_block: 0.0261
//   hidden_comment: -0.0085
//   hidden_style: 0.0024
//   instruction_override: -0.0865
//   link_with_query: 0.0021
//   model_directive: -0.0195
//   override_hint: -0.1182
//   path_to_destination: 0.0108
//   redirect_hint: 0.0089
//   remote_script: 0.0065
//   restriction_removal: 0.0137
//   role_hijack: -0.0169
//   role_hint: -0.0084
//   secret_file_access: 0.0411
//   secret_hint: -0.0145
//   secret_request: -0.0081
//   sensitive_path: -0.047
//   shadowing: 0.0118
//   tool_coercion: -0.0116
//   tool_invocation: 0.0035
//   transcript_turn: 0.0214
//   user_manipulation: -0.0026
//   user_override: 0.0071
//   zero_width: 0.0958
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
    -0.1885, 0.5876, 0.5904, 0.0047, 0.3651, 0.5916, -0.4224, -0.0579, 0.0035, 0.1855, -0.2481, -0.0189, -0.32, 0.2505, 0.1334, 0.0402, 0.0042, 0.2237, 0.2237,
    0.1137, 0.165, 0.006, -0.0056, 0.0025, -0.0051, 0.1603, 0.0366, -0.0399, 0.0228, 0.0713, 0.1111, -0.1335, 0.0261, -0.0085, 0.0024, -0.0865, 0.0021, -0.0195,
    -0.1182, 0.0108, 0.0089, 0.0065, 0.0137, -0.0169, -0.0084, 0.0411, -0.0145, -0.0081, -0.047, 0.0118, -0.0116, 0.0035, 0.0214, -0.0026, 0.0071, 0.0958,
  ],
  threshold: 0.87,
  longThreshold: 0.73,
  vetoPeak: 0.1,
  aloneScore: 0.5,
  foreignAlone: 0.65,
  readAlone: 0.65,
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
      caught: 0.817,
      blocked: 0.0435,
      injections: 5925,
      benign: 5857,
    },
    lambda: 0.01,
    epochs: 300,
    foreignAlone: {
      chosen: '2026-11-29',
      alsoUntuned: [
        'api-data',
        'author105',
        'author107',
        'author110',
        'author67',
        'author68',
        'author69',
        'author70',
        'author74',
        'author75',
        'author76',
        'author77',
        'author79',
        'author80',
        'author81',
        'author82',
        'author85',
        'author86',
        'author87',
        'author88',
        'author93',
        'author94',
        'author95',
        'author96',
        'author97',
        'author98',
      ],
    },
    readAlone: {
      chosen: '2026-11-29',
      alsoUntuned: [
        'api-data',
        'author105',
        'author107',
        'author110',
        'author67',
        'author68',
        'author69',
        'author70',
        'author74',
        'author75',
        'author76',
        'author77',
        'author79',
        'author80',
        'author81',
        'author82',
        'author85',
        'author86',
        'author87',
        'author88',
        'author93',
        'author94',
        'author95',
        'author96',
        'author97',
        'author98',
      ],
    },
  },
};
