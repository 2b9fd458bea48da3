from breakd.cli import main

raise SystemExit(main())
