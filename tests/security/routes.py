# ruff: noqa: E501 -- a table: one row per route, one column per identity
"""The route × identity table: who gets what on every page and every API operation.

One row per route and method. Columns: the identities of tests/security/world.py —
anon, learner A (owns the world's data), learner B (another cohort), the trainer who authored the
module, another trainer, staff of X (the intermediary of A's cohort), staff of Y (another
intermediary), the coach of A's mission, another coach, an admin. Each cell is the outcome:
a status code, L (redirected to log in) or R (redirected elsewhere). Writes (POST, PUT, PATCH,
DELETE) are sent with an empty body and a real CSRF token: 400 means "allowed, the body is wrong";
403/404 mean refused (404: the object is not theirs to know of).

kwargs: the URL's kwargs, each naming a world object (world.KWARGS) or a 'literal'.

Adding a route: the coverage test fails and prints the row it suggests, with the outcomes seen. Check
each cell against the rules of docs/security.md ("Who sees what") before pasting it here.
"""

# route                                   kwargs                                  method  anon learner_a learner_b trainer trainer_b staff_x staff_y coach coach_b admin
PAGES = """
core:home                                                  -                                            GET    200  200  200  200  200  200  200  200  200  200
core:healthz                                               -                                            GET    503  503  503  503  503  503  503  503  503  503
accounts:signup                                            -                                            GET    200  R    R    R    R    R    R    R    R    R
accounts:signup                                            -                                            POST   200  R    R    R    R    R    R    R    R    R
accounts:signup                                            -                                            PUT    200  R    R    R    R    R    R    R    R    R
accounts:login                                             -                                            GET    200  R    R    R    R    R    R    R    R    R
accounts:login                                             -                                            POST   200  R    R    R    R    R    R    R    R    R
accounts:login                                             -                                            PUT    200  R    R    R    R    R    R    R    R    R
accounts:logout                                            -                                            POST   R    R    R    R    R    R    R    R    R    R
accounts:profile                                           -                                            GET    L    200  200  200  200  200  200  200  200  200
accounts:profile                                           -                                            POST   L    200  200  200  200  200  200  200  200  200
accounts:profile                                           -                                            PUT    L    200  200  200  200  200  200  200  200  200
accounts:set-language                                      -                                            POST   R    R    R    R    R    R    R    R    R    R
accounts:password-change                                   -                                            GET    L    200  200  200  200  200  200  200  200  200
accounts:password-change                                   -                                            POST   L    200  200  200  200  200  200  200  200  200
accounts:password-change                                   -                                            PUT    L    200  200  200  200  200  200  200  200  200
accounts:password-reset                                    -                                            GET    200  200  200  200  200  200  200  200  200  200
accounts:password-reset                                    -                                            POST   200  200  200  200  200  200  200  200  200  200
accounts:password-reset                                    -                                            PUT    200  200  200  200  200  200  200  200  200  200
accounts:password-reset-done                               -                                            GET    200  200  200  200  200  200  200  200  200  200
accounts:password-reset-complete                           -                                            GET    200  200  200  200  200  200  200  200  200  200
accounts:password-reset-confirm                            uidb64='MQ',token='bad-token'                GET    200  200  200  200  200  200  200  200  200  200
accounts:password-reset-confirm                            uidb64='MQ',token='bad-token'                POST   200  200  200  200  200  200  200  200  200  200
accounts:password-reset-confirm                            uidb64='MQ',token='bad-token'                PUT    200  200  200  200  200  200  200  200  200  200
courses:trainer-modules                                    -                                            GET    L    403  403  200  200  403  403  403  403  200
courses:module-create                                      -                                            GET    L    403  403  200  200  403  403  403  403  200
courses:module-create                                      -                                            POST   L    403  403  400  400  403  403  403  403  400
courses:preview                                            -                                            POST   L    403  403  200  200  403  403  403  403  200
courses:module-detail                                      slug=module                                  GET    L    403  403  200  200  403  403  403  403  200
courses:module-settings                                    slug=module                                  GET    L    403  403  200  403  403  403  403  403  200
courses:module-settings                                    slug=module                                  POST   L    403  403  400  403  403  403  403  403  400
courses:module-translation                                 slug=module,language='fr'                    GET    L    403  403  200  403  403  403  403  403  200
courses:module-translation                                 slug=module,language='fr'                    POST   L    403  403  400  403  403  403  403  403  400
courses:module-translation-mark-updated                    slug=module,language='fr'                    POST   L    403  403  R    403  403  403  403  403  R
courses:module-workflow                                    slug=module,action='submit'                  POST   L    403  403  R    403  403  403  403  403  R
courses:module-authors                                     slug=module                                  POST   L    403  403  400  400  403  403  403  403  400
courses:module-history                                     slug=module                                  GET    L    403  403  200  200  403  403  403  403  200
courses:module-images                                      slug=module                                  GET    L    403  403  200  200  403  403  403  403  200
courses:module-images                                      slug=module                                  POST   L    403  403  400  403  403  403  403  403  400
courses:lesson-create                                      slug=module                                  GET    L    403  403  200  403  403  403  403  403  200
courses:lesson-create                                      slug=module                                  POST   L    403  403  400  403  403  403  403  403  400
courses:lesson-detail                                      slug=module,lesson=lesson                    GET    L    403  403  200  200  403  403  403  403  200
courses:lesson-edit                                        slug=module,lesson=lesson,language='fr'      GET    L    403  403  200  403  403  403  403  403  200
courses:lesson-edit                                        slug=module,lesson=lesson,language='fr'      POST   L    403  403  400  403  403  403  403  403  400
courses:lesson-side-by-side                                slug=module,lesson=lesson                    GET    L    403  403  200  200  403  403  403  403  200
courses:lesson-side-by-side                                slug=module,lesson=lesson                    POST   L    403  403  400  403  403  403  403  403  400
courses:lesson-mark-updated                                slug=module,lesson=lesson,language='fr'      POST   L    403  403  R    403  403  403  403  403  R
courses:lesson-move                                        slug=module,lesson=lesson                    POST   L    403  403  R    403  403  403  403  403  R
courses:lesson-archive                                     slug=module,lesson=lesson                    POST   L    403  403  R    403  403  403  403  403  R
courses:quiz                                               slug=module                                  GET    L    403  403  200  200  403  403  403  403  200
courses:quiz                                               slug=module                                  POST   L    403  403  400  403  403  403  403  403  400
courses:question-create                                    slug=module                                  GET    L    403  403  200  403  403  403  403  403  200
courses:question-create                                    slug=module                                  POST   L    403  403  400  403  403  403  403  403  400
courses:question-edit                                      slug=module,key=question                     GET    L    403  403  200  403  403  403  403  403  200
courses:question-edit                                      slug=module,key=question                     POST   L    403  403  400  403  403  403  403  403  400
courses:question-action                                    slug=module,key=question                     POST   L    403  403  400  403  403  403  403  403  400
learners:catalogue                                         -                                            GET    200  200  200  200  200  200  200  200  200  200
learners:dashboard                                         -                                            GET    L    200  200  200  200  200  200  200  200  200
learners:diagnostic                                        -                                            GET    L    200  200  200  200  200  200  200  200  200
learners:diagnostic                                        -                                            POST   L    R    R    R    R    R    R    R    R    R
learners:certificate                                       code=certificate                             GET    R    R    R    R    R    R    R    R    R    R
learners:certificate-verify                                code=certificate                             GET    R    R    R    R    R    R    R    R    R    R
learners:module-detail                                     module=module                                GET    200  200  200  200  200  200  200  200  200  200
learners:enrol                                             module=module                                GET    L    R    R    R    R    R    R    R    R    R
learners:enrol                                             module=module                                POST   L    R    R    R    R    R    R    R    R    R
learners:leave                                             module=module                                POST   L    R    R    404  404  404  404  404  404  404
learners:language-set                                      module=module                                POST   R    R    R    R    R    R    R    R    R    R
learners:quiz                                              module=module                                GET    L    200  200  200  200  200  200  200  200  200
learners:quiz                                              module=module                                POST   L    400  400  400  400  400  400  400  400  400
learners:quiz-result                                       module=module,pk=attempt                     GET    L    200  404  404  404  404  404  404  404  404
learners:module-results                                    module=module                                GET    L    403  403  200  403  403  403  403  403  200
learners:module-completed                                  module=module                                GET    L    200  R    R    R    R    R    R    R    R
learners:template-download                                 module=module,key='budget',language='fr',extension='xlsx' GET    404  404  404  404  404  404  404  404  404  404
learners:lesson                                            module=module,lesson=lesson                  GET    200  200  200  200  200  200  200  200  200  200
learners:lesson-done                                       module=module,lesson=lesson                  POST   L    R    R    R    R    R    R    R    R    R
verify:certificate                                         code=certificate                             GET    200  200  200  200  200  200  200  200  200  200
cohorts:list                                               -                                            GET    L    200  200  200  200  200  200  200  200  200
cohorts:create                                             -                                            GET    L    404  404  404  404  200  200  404  404  200
cohorts:create                                             -                                            POST   L    404  404  404  404  200  200  404  404  200
cohorts:create                                             -                                            PUT    L    404  404  404  404  200  200  404  404  200
cohorts:join-code                                          -                                            GET    200  200  200  200  200  200  200  200  200  200
cohorts:join-code                                          -                                            POST   200  200  200  200  200  200  200  200  200  200
cohorts:join-code                                          -                                            PUT    200  200  200  200  200  200  200  200  200  200
cohorts:join                                               token=token                                  GET    200  200  200  200  200  200  200  200  200  200
cohorts:join                                               token=token                                  POST   200  R    R    R    R    R    R    R    R    R
cohorts:leave                                              membership_id=membership                     POST   L    R    404  404  404  404  404  404  404  404
cohorts:dashboard                                          pk=cohort                                    GET    L    404  404  404  404  200  404  404  404  200
cohorts:update                                             pk=cohort                                    GET    L    404  404  404  404  200  404  404  404  200
cohorts:update                                             pk=cohort                                    POST   L    404  404  404  404  200  404  404  404  200
cohorts:update                                             pk=cohort                                    PUT    L    404  404  404  404  200  404  404  404  200
cohorts:learner                                            pk=cohort,user_id=learner_a                  GET    L    404  404  404  404  200  404  404  404  200
cohorts:member-remove                                      pk=cohort,user_id=learner_a                  POST   L    404  404  404  404  R    404  404  404  R
cohorts:module                                             pk=cohort,module_id=module_id                GET    L    404  404  404  404  200  404  404  404  200
cohorts:invitations                                        pk=cohort                                    GET    L    404  404  404  404  200  404  404  404  200
cohorts:invitations                                        pk=cohort                                    POST   L    404  404  404  404  R    404  404  404  R
cohorts:invitation-revoke                                  pk=cohort,invitation_id=invitation           POST   L    404  404  404  404  R    404  404  404  R
cohorts:invite-csv                                         pk=cohort                                    GET    L    404  404  404  404  R    404  404  404  R
cohorts:invite-csv                                         pk=cohort                                    POST   L    404  404  404  404  200  404  404  404  200
cohorts:invite-import                                      pk=cohort,import_id=import                   GET    L    404  404  404  404  200  404  404  404  200
cohorts:invite-import                                      pk=cohort,import_id=import                   POST   L    404  404  404  404  R    404  404  404  R
cohorts:reminders                                          pk=cohort                                    GET    L    404  404  404  404  200  404  404  404  200
cohorts:reminders                                          pk=cohort                                    POST   L    404  404  404  404  R    404  404  404  R
cohorts:exports                                            pk=cohort                                    GET    L    404  404  404  404  200  404  404  404  200
cohorts:exports                                            pk=cohort                                    POST   L    404  404  404  404  200  404  404  404  200
cohorts:export                                             pk=cohort,export_id=export                   GET    L    404  404  404  404  200  404  404  404  200
cohorts:export-status                                      pk=cohort,export_id=export                   GET    L    404  404  404  404  200  404  404  404  200
cohorts:export-download                                    pk=cohort,export_id=export                   GET    L    404  404  404  404  410  404  404  404  410
coaching:home                                              -                                            GET    L    200  200  200  200  200  200  200  200  200
coaching:coach-profile                                     -                                            GET    L    403  403  403  403  403  403  200  200  403
coaching:coach-profile                                     -                                            POST   L    403  403  403  403  403  403  200  200  403
coaching:coach-profile                                     -                                            PUT    L    403  403  403  403  403  403  200  200  403
coaching:coach-list                                        -                                            GET    L    403  403  403  403  200  200  403  403  200
coaching:coach-vet                                         pk=coach_b_profile                           POST   L    403  403  403  403  R    R    403  403  R
coaching:marketplace                                       -                                            GET    L    403  403  403  403  403  403  200  200  403
coaching:request-list                                      -                                            GET    L    403  403  403  403  200  200  403  403  200
coaching:request-create                                    -                                            GET    L    200  200  200  200  200  200  200  200  200
coaching:request-create                                    -                                            POST   L    200  200  200  200  200  200  200  200  200
coaching:request-create                                    -                                            PUT    L    200  200  200  200  200  200  200  200  200
coaching:request-open-for                                  -                                            GET    L    403  403  403  403  200  200  403  403  200
coaching:request-open-for                                  -                                            POST   L    403  403  403  403  200  200  403  403  200
coaching:request-open-for                                  -                                            PUT    L    403  403  403  403  200  200  403  403  200
coaching:request-detail                                    pk=request                                   GET    L    200  404  404  404  200  404  200  404  200
coaching:request-edit                                      pk=request                                   GET    L    403  404  404  404  403  404  403  404  403
coaching:request-edit                                      pk=request                                   POST   L    403  404  404  404  403  404  403  404  403
coaching:request-edit                                      pk=request                                   PUT    L    403  404  404  404  403  404  403  404  403
coaching:request-submit                                    pk=request                                   POST   L    R    404  404  404  R    404  403  404  R
coaching:request-cancel                                    pk=request                                   POST   L    R    404  404  404  R    404  403  404  R
coaching:request-ranking                                   pk=request                                   GET    L    403  404  404  404  200  404  403  404  200
coaching:proposal-create                                   pk=request                                   POST   L    R    404  404  404  R    404  R    404  R
coaching:offer-create                                      pk=request                                   POST   L    403  404  404  404  403  404  R    404  403
coaching:proposal-detail                                   pk=proposal                                  GET    L    404  404  404  404  200  404  404  200  200
coaching:proposal-accept                                   pk=proposal                                  POST   L    403  404  404  404  403  404  404  R    403
coaching:proposal-decline                                  pk=proposal                                  POST   L    403  404  404  404  403  404  404  R    403
coaching:offer-confirm                                     pk=proposal                                  POST   L    403  404  404  404  403  404  404  403  403
coaching:mission-detail                                    pk=mission                                   GET    L    200  404  404  404  200  404  200  404  200
coaching:mission-objectives                                pk=mission                                   POST   L    R    404  404  404  R    404  R    404  R
coaching:mission-objectives-agree                          pk=mission                                   POST   L    R    404  404  404  403  404  R    404  403
coaching:session-create                                    pk=mission                                   POST   L    R    404  404  404  R    404  R    404  R
coaching:mission-complete                                  pk=mission                                   POST   L    R    404  404  404  403  404  R    404  403
coaching:mission-completion-decline                        pk=mission                                   POST   L    R    404  404  404  403  404  R    404  403
coaching:feedback-create                                   pk=mission                                   POST   L    R    404  404  404  R    404  R    404  R
coaching:cohort-reports                                    -                                            GET    L    403  403  403  403  200  200  403  403  200
coaching:cohort-report                                     pk=cohort                                    GET    L    403  403  403  403  200  404  403  403  200
search:results                                             -                                            GET    200  200  200  200  200  200  200  200  200  200
credentials:did-site                                       -                                            GET    200  200  200  200  200  200  200  200  200  200
credentials:did-site-path                                  -                                            GET    200  200  200  200  200  200  200  200  200  200
credentials:did-issuer                                     intermediary_id=intermediary                 GET    200  200  200  200  200  200  200  200  200  200
credentials:issuer-logo                                    intermediary_id=intermediary                 GET    404  404  404  404  404  404  404  404  404  404
credentials:status-list                                    status_list='1'                              GET    200  200  200  200  200  200  200  200  200  200
credentials:badge-image                                    -                                            GET    200  200  200  200  200  200  200  200  200  200
credentials:certificate                                    code=certificate                             GET    L    200  404  404  404  404  404  404  404  200
credentials:share                                          code=certificate                             GET    L    202  404  404  404  404  404  404  404  202
credentials:credential-json                                code=certificate                             GET    L    200  404  404  404  404  404  404  404  200
credentials:credential-png                                 code=certificate                             GET    L    200  404  404  404  404  404  404  404  200
credentials:pdf                                            code=certificate,language='fr'               GET    L    202  404  404  404  404  404  404  404  202
credentials:poster                                         code=certificate,language='fr'               GET    L    202  404  404  404  404  404  404  404  202
credentials:preview                                        code=certificate,language='fr'               GET    L    202  404  404  404  404  404  404  404  202
api-schema                                                 -                                            GET    200  200  200  200  200  200  200  200  200  200
api-docs                                                   -                                            GET    200  200  200  200  200  200  200  200  200  200
api-redoc                                                  -                                            GET    200  200  200  200  200  200  200  200  200  200
"""

API = """
/api/v1/                                                   -                                            GET    401  200  200  200  200  200  200  200  200  200
/api/v1/certificates/                                      -                                            GET    401  200  200  200  200  200  200  200  200  200
/api/v1/certificates/{code}/                               code=certificate                             GET    401  200  404  404  404  404  404  404  404  404
/api/v1/coaching/coaches/                                  -                                            GET    401  200  200  200  200  200  200  200  200  200
/api/v1/coaching/coaches/{id}/                             id=coach_b_profile                           GET    401  404  404  404  404  200  200  404  404  200
/api/v1/coaching/coaches/{id}/vet/                         id=coach_b_profile                           POST   401  404  404  404  404  200  200  404  404  200
/api/v1/coaching/marketplace/                              -                                            GET    401  403  403  403  403  403  403  200  200  403
/api/v1/coaching/missions/                                 -                                            GET    401  200  200  200  200  200  200  200  200  200
/api/v1/coaching/missions/{id}/                            id=mission                                   GET    401  200  404  404  404  200  404  200  404  200
/api/v1/coaching/missions/{id}/complete/                   id=mission                                   POST   401  200  404  404  404  403  404  200  404  403
/api/v1/coaching/missions/{id}/feedback/                   id=mission                                   GET    401  200  404  404  404  200  404  200  404  200
/api/v1/coaching/missions/{id}/feedback/                   id=mission                                   POST   401  400  404  404  404  400  404  400  404  400
/api/v1/coaching/missions/{id}/objectives/                 id=mission                                   POST   401  400  404  404  404  400  404  400  404  400
/api/v1/coaching/missions/{id}/objectives/agree/           id=mission                                   POST   401  400  404  404  404  403  404  400  404  403
/api/v1/coaching/missions/{id}/sessions/                   id=mission                                   GET    401  200  404  404  404  200  404  200  404  200
/api/v1/coaching/missions/{id}/sessions/                   id=mission                                   POST   401  400  404  404  404  400  404  400  404  400
/api/v1/coaching/profile/                                  -                                            GET    401  404  404  404  404  404  404  200  200  404
/api/v1/coaching/profile/                                  -                                            PUT    401  403  403  403  403  403  403  400  400  403
/api/v1/coaching/profile/                                  -                                            PATCH  401  403  403  403  403  403  403  200  200  403
/api/v1/coaching/proposals/                                -                                            GET    401  200  200  200  200  200  200  200  200  200
/api/v1/coaching/proposals/{id}/                           id=proposal                                  GET    401  200  404  404  404  200  404  404  200  200
/api/v1/coaching/proposals/{id}/accept/                    id=proposal                                  POST   401  403  404  404  404  403  404  404  200  403
/api/v1/coaching/proposals/{id}/confirm/                   id=proposal                                  POST   401  403  404  404  404  403  404  404  403  403
/api/v1/coaching/proposals/{id}/decline/                   id=proposal                                  POST   401  400  404  404  404  400  404  404  400  400
/api/v1/coaching/requests/                                 -                                            GET    401  200  200  200  200  200  200  200  200  200
/api/v1/coaching/requests/                                 -                                            POST   401  400  400  400  400  400  400  400  400  400
/api/v1/coaching/requests/{id}/                            id=open_request                              GET    401  200  404  404  404  200  404  200  200  200
/api/v1/coaching/requests/{id}/                            id=open_request                              PATCH  401  403  404  404  404  403  404  403  403  403
/api/v1/coaching/requests/{id}/cancel/                     id=open_request                              POST   401  200  404  404  404  200  404  403  403  200
/api/v1/coaching/requests/{id}/offer/                      id=open_request                              POST   401  403  404  404  404  403  404  201  400  403
/api/v1/coaching/requests/{id}/propose/                    id=open_request                              POST   401  403  404  404  404  400  404  403  403  400
/api/v1/coaching/requests/{id}/ranking/                    id=open_request                              GET    401  403  404  404  404  200  404  403  403  200
/api/v1/coaching/requests/{id}/submit/                     id=open_request                              POST   401  200  404  404  404  200  404  403  403  200
/api/v1/cohort-memberships/                                -                                            GET    401  200  200  200  200  200  200  200  200  200
/api/v1/cohort-memberships/{membership_id}/leave/          membership_id=membership                     POST   401  200  404  404  404  404  404  404  404  404
/api/v1/cohorts/                                           -                                            GET    401  200  200  200  200  200  200  200  200  200
/api/v1/cohorts/                                           -                                            POST   401  403  403  403  403  400  400  403  403  400
/api/v1/cohorts/{id}/                                      id=cohort                                    GET    401  404  404  404  404  200  404  404  404  200
/api/v1/cohorts/{id}/                                      id=cohort                                    PATCH  401  404  404  404  404  200  404  404  404  200
/api/v1/cohorts/{id}/dashboard/                            id=cohort                                    GET    401  404  404  404  404  200  404  404  404  200
/api/v1/cohorts/{id}/exports/                              id=cohort                                    GET    401  404  404  404  404  200  404  404  404  200
/api/v1/cohorts/{id}/exports/                              id=cohort                                    POST   401  404  404  404  404  400  404  404  404  400
/api/v1/cohorts/{id}/exports/{export_id}/                  id=cohort,export_id=export                   GET    401  404  404  404  404  200  404  404  404  200
/api/v1/cohorts/{id}/exports/{export_id}/download/         id=cohort,export_id=export                   GET    401  404  404  404  404  410  404  404  404  410
/api/v1/cohorts/{id}/invitations/                          id=cohort                                    GET    401  404  404  404  404  200  404  404  404  200
/api/v1/cohorts/{id}/invitations/                          id=cohort                                    POST   401  404  404  404  404  201  404  404  404  201
/api/v1/cohorts/{id}/invitations/{invitation_id}/revoke/   id=cohort,invitation_id=invitation           POST   401  404  404  404  404  200  404  404  404  200
/api/v1/cohorts/{id}/invitations/csv/                      id=cohort                                    POST   401  404  404  404  404  400  404  404  404  400
/api/v1/cohorts/{id}/invitations/csv/{import_id}/          id=cohort,import_id=import                   GET    401  404  404  404  404  200  404  404  404  200
/api/v1/cohorts/{id}/invitations/csv/{import_id}/confirm/  id=cohort,import_id=import                   POST   401  404  404  404  404  200  404  404  404  200
/api/v1/cohorts/{id}/learners/{user_id}/                   id=cohort,user_id=learner_a                  GET    401  404  404  404  404  200  404  404  404  200
/api/v1/cohorts/{id}/matrix/                               id=cohort                                    GET    401  404  404  404  404  200  404  404  404  200
/api/v1/cohorts/{id}/memberships/                          id=cohort                                    GET    401  404  404  404  404  200  404  404  404  200
/api/v1/cohorts/{id}/memberships/{user_id}/                id=cohort,user_id=learner_a                  DELETE 401  404  404  404  404  204  404  404  404  204
/api/v1/cohorts/{id}/modules/{module_id}/report/           id=cohort,module_id=module_id                GET    401  404  404  404  404  200  404  404  404  200
/api/v1/cohorts/{id}/reminders/                            id=cohort                                    GET    401  404  404  404  404  200  404  404  404  200
/api/v1/cohorts/{id}/reminders/                            id=cohort                                    POST   401  404  404  404  404  400  404  404  404  400
/api/v1/cohorts/join/                                      -                                            POST   401  400  400  400  400  400  400  400  400  400
/api/v1/diagnostic/                                        -                                            GET    401  200  200  200  200  200  200  200  200  200
/api/v1/diagnostic/responses/                              -                                            GET    401  200  200  200  200  200  200  200  200  200
/api/v1/diagnostic/responses/                              -                                            POST   401  400  400  400  400  400  400  400  400  400
/api/v1/diagnostic/responses/{id}/                         id=diagnostic                                GET    401  200  404  404  404  404  404  404  404  404
/api/v1/enrollments/                                       -                                            GET    401  200  200  200  200  200  200  200  200  200
/api/v1/enrollments/                                       -                                            POST   401  400  400  400  400  400  400  400  400  400
/api/v1/enrollments/{id}/                                  id=enrollment                                GET    401  200  404  404  404  404  404  404  404  404
/api/v1/enrollments/{id}/language/                         id=enrollment                                POST   401  400  404  404  404  404  404  404  404  404
/api/v1/enrollments/{id}/leave/                            id=enrollment                                POST   401  200  404  404  404  404  404  404  404  404
/api/v1/lessons/                                           -                                            GET    401  400  400  400  400  400  400  400  400  400
/api/v1/lessons/                                           -                                            POST   401  403  403  400  400  403  403  403  403  400
/api/v1/lessons/{id}/                                      id=lesson_id                                 GET    401  200  200  200  200  200  200  200  200  200
/api/v1/lessons/{id}/archive/                              id=lesson_id                                 POST   401  403  403  200  403  403  403  403  403  200
/api/v1/lessons/{id}/restore/                              id=lesson_id                                 POST   401  403  403  200  403  403  403  403  403  200
/api/v1/lessons/{id}/translations/{language}/              id=lesson_id,language='fr'                   PUT    401  403  403  400  403  403  403  403  403  400
/api/v1/lessons/{id}/translations/{language}/mark-updated/ id=lesson_id,language='fr'                   POST   401  403  403  200  403  403  403  403  403  200
/api/v1/me/                                                -                                            GET    401  200  200  200  200  200  200  200  200  200
/api/v1/me/                                                -                                            PUT    401  400  400  400  400  400  400  400  400  400
/api/v1/me/                                                -                                            PATCH  401  200  200  200  200  200  200  200  200  200
/api/v1/modules/                                           -                                            GET    401  200  200  200  200  200  200  200  200  200
/api/v1/modules/                                           -                                            POST   401  403  403  400  400  403  403  403  403  400
/api/v1/modules/{slug}/                                    slug=module                                  GET    401  200  200  200  200  200  200  200  200  200
/api/v1/modules/{slug}/                                    slug=module                                  PATCH  401  403  403  200  403  403  403  403  403  200
/api/v1/modules/{slug}/archive/                            slug=module                                  POST   401  403  403  200  403  403  403  403  403  200
/api/v1/modules/{slug}/completeness/                       slug=module                                  GET    401  403  403  200  200  403  403  403  403  200
/api/v1/modules/{slug}/history/                            slug=module                                  GET    401  403  403  200  200  403  403  403  403  200
/api/v1/modules/{slug}/lessons/reorder/                    slug=module                                  POST   401  403  403  400  403  403  403  403  403  400
/api/v1/modules/{slug}/publish/                            slug=module                                  POST   401  403  403  200  403  403  403  403  403  200
/api/v1/modules/{slug}/quiz/                               slug=module                                  GET    401  403  403  200  403  403  403  403  403  200
/api/v1/modules/{slug}/quiz/                               slug=module                                  PATCH  401  403  403  400  403  403  403  403  403  400
/api/v1/modules/{slug}/quiz/questions/                     slug=module                                  POST   401  403  403  400  403  403  403  403  403  400
/api/v1/modules/{slug}/restore/                            slug=module                                  POST   401  403  403  400  403  403  403  403  403  400
/api/v1/modules/{slug}/submit/                             slug=module                                  POST   401  403  403  400  403  403  403  403  403  400
/api/v1/modules/{slug}/translations/{language}/            slug=module,language='fr'                    PUT    401  403  403  400  403  403  403  403  403  400
/api/v1/modules/{slug}/translations/{language}/mark-updated/ slug=module,language='fr'                    POST   401  403  403  200  403  403  403  403  403  200
/api/v1/modules/{slug}/unpublish/                          slug=module                                  POST   401  403  403  200  403  403  403  403  403  200
/api/v1/progress/                                          -                                            POST   401  400  400  400  400  400  400  400  400  400
/api/v1/progress/batch/                                    -                                            POST   401  400  400  400  400  400  400  400  400  400
/api/v1/questions/{id}/                                    id=question_id                               PUT    401  403  403  400  403  403  403  403  403  400
/api/v1/questions/{id}/                                    id=question_id                               DELETE 401  403  403  204  403  403  403  403  403  204
/api/v1/quiz-attempts/                                     -                                            GET    401  200  200  200  200  200  200  200  200  200
/api/v1/quiz-attempts/{id}/                                id=attempt                                   GET    401  200  404  404  404  404  404  404  404  404
/api/v1/quizzes/{module}/                                  module=module                                GET    401  200  200  200  200  200  200  200  200  200
/api/v1/quizzes/{module}/attempts/                         module=module                                POST   401  400  400  400  400  400  400  400  400  400
/api/v1/search/                                            -                                            GET    401  400  400  400  400  400  400  400  400  400
"""

# Django's admin has ~80 URLs of its own: one rule for all (admins only), checked on these.
ADMIN_SAMPLES = ["admin:index", "admin:accounts_user_changelist", "admin:accounts_intermediary_changelist",
                 "admin:credentials_credential_changelist"]
ADMIN_EXPECTED = ["L", "L", "L", "L", "L", "L", "L", "L", "L", "200"]

# Routes no identity can tell apart, with the reason they are not played.
NOT_PLAYED = {
    "<unnamed>": "/media/ (only with ESSOR_SERVE_MEDIA): uploaded lesson images, public by design like the lessons",
}
