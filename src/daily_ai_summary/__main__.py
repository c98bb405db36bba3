from daily_ai_summary.cli import main

raise SystemExit(main())
